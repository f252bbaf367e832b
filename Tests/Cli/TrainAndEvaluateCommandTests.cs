using System.Globalization;
using System.Text.Json.Nodes;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Cli;

public sealed class TrainAndEvaluateCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_readme_main_command_trains_on_the_digits_sample_and_prints_real_metrics()
    {
        var result = CliRunner.AsProcess(_folder.Path, "train");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Dataset  sample:digits: 1,797 rows, 65 columns", result.Out);
        Assert.Contains("Label    label -> MulticlassClassification (10 classes)", result.Out);
        var accuracyLine = result.Out.Split('\n').Single(l => l.TrimStart().StartsWith("accuracy "));
        var accuracy = double.Parse(accuracyLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        // Without --trainer, a table of 1,797 rows gets the exact kernel machine (CandidateCatalog.SingleRunDefault).
        Assert.Contains("Trainer  kernel: ", result.Out);
        Measured.AtLeast(accuracy, 0.99, 0.9944, "train's default trainer, held-out accuracy on digits");
        Assert.True(File.Exists(_folder.File("mltoolkit-model.zip")));
    }

    [Theory]
    [InlineData("lightgbm")]
    [InlineData("sdca")]
    public void Train_then_evaluate_gives_the_same_metrics_from_the_saved_file(string trainer)
    {
        var model = _folder.File($"{trainer}.zip");
        var train = CliRunner.InProcess("train", "--trainer", trainer, "--output", model, "--json");
        Assert.True(train.ExitCode == 0, train.Error);
        var trained = JsonNode.Parse(train.Out)!;
        Assert.Equal("MulticlassClassification", (string)trained["task"]!);
        Assert.Equal(10, trained["classes"]!.AsArray().Count);
        var testAccuracy = (double)trained["test"]!["metrics"]!["accuracy"]!;
        Measured.AtLeast(testAccuracy, trainer == "lightgbm" ? 0.98 : 0.975, trainer == "lightgbm" ? 0.9889 : 0.9805, $"{trainer} held-out accuracy on digits");

        // The whole sample includes the training rows, so accuracy there is at least the held-out one.
        var evaluate = CliRunner.InProcess("evaluate", "--model", model, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        var evaluated = JsonNode.Parse(evaluate.Out)!;
        Assert.Equal(1797, (long)evaluated["rows"]!);
        Assert.True((double)evaluated["metrics"]!["accuracy"]! >= testAccuracy);
    }

    [Fact]
    public void Evaluating_a_saved_model_on_its_own_test_file_reproduces_the_training_report()
    {
        var trainFile = _folder.Write("train.csv", Csv(Breast(0, 400)));
        var testFile = _folder.Write("test.csv", Csv(Breast(400, 569)));
        var model = _folder.File("bc.zip");
        var train = CliRunner.InProcess("train", "-d", trainFile, "--label-col", "diagnosis", "--test-dataset", testFile, "-o", model, "--json");
        Assert.True(train.ExitCode == 0, train.Error);
        var evaluate = CliRunner.InProcess("evaluate", "-m", model, "-d", testFile, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        var trained = JsonNode.Parse(train.Out)!["test"]!;
        var evaluated = JsonNode.Parse(evaluate.Out)!;
        Assert.Equal("BinaryClassification", (string)trained["task"]!);
        Assert.Equal(169, (long)evaluated["rows"]!);
        foreach (var metric in new[] { "accuracy", "auc", "f1", "log_loss" })
            Assert.Equal((double)trained["metrics"]![metric]!, (double)evaluated["metrics"]![metric]!);
        Measured.AtLeast((double)evaluated["metrics"]!["accuracy"]!, 0.985, 0.9882, "breast cancer accuracy on the last 169 rows");
    }

    [Fact]
    public void A_test_file_is_read_with_the_missing_values_given_its_own_title_warned_of_and_a_bad_value_stops_automl_before_any_trial()
    {
        // One weight in seven is written "-", in both files: declared missing for training, it is missing in the test file too.
        string Rows(int from, int count) => string.Join("\n", Enumerable.Range(from, count).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{(i % 7 == 0 ? "-" : (i % 13 * 1.5).ToString(CultureInfo.InvariantCulture))},{i % 5},{(i % 13 < 6 ? "light" : "heavy")}")));
        var train = _folder.Write("train.csv", "weight,size,y\n" + Rows(0, 120) + "\n");
        var test = _folder.Write("test.csv", "Held-out rows\n\nweight,size,y\n" + Rows(120, 40) + "\n");
        var trained = CliRunner.InProcess("train", "-d", train, "--label-col", "y", "--missing-values", "-", "--test-dataset", test, "--trainer", "forest", "-o", _folder.File("w.zip"), "--json");
        Assert.True(trained.ExitCode == 0, trained.Error);
        Assert.Equal(40, (long)JsonNode.Parse(trained.Out)!["test"]!["rows"]!);
        Assert.Contains($"warning: {test}: lines 1-2 above the table were read as a title and left out ('Held-out rows')", trained.Error);

        var searched = CliRunner.InProcess("automl", "-d", train, "--label-col", "y", "--missing-values", "-", "--test-dataset", test, "--trainers", "forest",
            "--max-trials", "1", "--explain", "false", "-o", _folder.File("found"), "--json");
        Assert.True(searched.ExitCode == 0, searched.Error);
        Assert.Equal(40, (long)JsonNode.Parse(searched.Out)!["test"]!["rows"]!);
        Assert.Contains($"warning: {test}: lines 1-2 above the table", searched.Error);

        // A value the test file's column cannot hold is the command's error at once, not after the budget is spent.
        var bad = _folder.Write("bad.csv", "weight,size,y\n" + Rows(120, 30) + "\n2.5,many,light\n");
        var automl = CliRunner.InProcess("automl", "-d", train, "--label-col", "y", "--missing-values", "-", "--test-dataset", bad, "--train-time", "600", "-o", _folder.File("run"));
        Assert.Equal(3, automl.ExitCode);
        Assert.Equal($"error: {bad}, line 32, column 'size': value 'many': expected a number with '.' as decimal mark (the column was read as numeric; override its type if it holds text)", automl.Error.Trim());
        Assert.DoesNotContain("trial", automl.Out);
        Assert.False(Directory.Exists(_folder.File("run")));
    }

    [Fact]
    public void Regression_on_the_diabetes_sample_reports_r_squared()
    {
        var result = CliRunner.InProcess("train", "--sample", "diabetes", "--trainer", "sdca", "-o", _folder.File("d.zip"), "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal("Regression", (string)json["task"]!);
        var r2 = (double)json["test"]!["metrics"]!["r_squared"]!;
        Measured.AtLeast(r2, 0.49, 0.503, "SDCA held-out R² on diabetes");
    }

    [Fact]
    public void A_missing_dataset_file_is_an_input_error_naming_the_path()
    {
        var missing = _folder.File("nowhere.csv");
        var result = CliRunner.InProcess("train", "--dataset", missing, "--label-col", "y");
        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"error: {missing}: file not found", result.Error.Trim());
        Assert.False(File.Exists(_folder.File("mltoolkit-model.zip")));
    }

    [Fact]
    public void A_missing_label_column_lists_the_columns()
    {
        var file = _folder.Write("iris.csv", "a,b,species\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n");
        var result = CliRunner.InProcess("train", "-d", file, "--label-col", "label", "-o", _folder.File("m.zip"));
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("error: Column 'label' not found. Columns: a, b, species.", result.Error.Trim());
    }

    [Fact]
    public void A_non_numeric_value_in_a_numeric_column_names_the_column_and_line()
    {
        var rows = Breast(0, 200).ToList();
        var fields = rows[150].Split(',');
        fields[2] = "12.x";
        rows[150] = string.Join(',', fields);
        var file = _folder.Write("bad.csv", Csv(rows));
        var result = CliRunner.InProcess("train", "-d", file, "--label-col", "diagnosis", "-o", _folder.File("m.zip"));
        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"error: {file}, line 152, column 'mean_perimeter': value '12.x': expected a number with '.' as decimal mark (the column was read as numeric; override its type if it holds text)", result.Error.Trim());
        Assert.False(File.Exists(_folder.File("m.zip")));
    }

    [Fact]
    public void An_empty_file_is_an_input_error()
    {
        var file = _folder.Write("empty.csv", "");
        var result = CliRunner.InProcess("train", "-d", file, "--label-col", "y");
        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"error: {file}: the file is empty; expected a header row and data rows", result.Error.Trim());
    }

    [Fact]
    public void A_label_with_one_class_is_rejected_for_classification()
    {
        var file = _folder.Write("one.csv", "a,b,y\n1,2,cat\n3,4,cat\n5,6,cat\n7,8,cat\n");
        var result = CliRunner.InProcess("train", "-d", file, "--label-col", "y", "-o", _folder.File("m.zip"));
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("error: Label column 'y' has 1 class (cat); classification needs at least 2.", result.Error.Trim());
    }

    [Fact]
    public void Categories_unseen_in_training_are_counted_when_evaluating()
    {
        var rows = Enumerable.Range(0, 60).Select(i => $"{(i % 3 == 0 ? "red" : i % 3 == 1 ? "green" : "blue")},{i % 7},{(i % 3 == 0 ? "yes" : "no")}");
        var train = _folder.Write("train.csv", "colour,size,y\n" + string.Join("\n", rows) + "\n");
        var test = _folder.Write("test.csv", "colour,size,y\nred,1,yes\npurple,2,no\nmauve,3,no\ngreen,4,no\n");
        var model = _folder.File("m.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "-d", train, "--label-col", "y", "--trainer", "lbfgs", "-o", model).ExitCode);
        var evaluate = CliRunner.InProcess("evaluate", "-m", model, "-d", test, "--json");
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        Assert.Equal(2, (long)JsonNode.Parse(evaluate.Out)!["unseenCategories"]!["colour"]!);
        var text = CliRunner.InProcess("evaluate", "-m", model, "-d", test);
        Assert.Contains("note: 2 row(s) had a 'colour' value unseen in training (encoded as all zeros)", text.Out);
    }

    [Fact]
    public void The_inferred_schema_is_reported_and_a_column_type_can_be_overridden()
    {
        var rows = Enumerable.Range(0, 40).Select(i => $"{1 + i % 2},{i * 10},{(i % 2 == 0 ? "a" : "b")}");
        var file = _folder.Write("codes.csv", "code,size,y\n" + string.Join("\n", rows) + "\n");
        var inferred = CliRunner.InProcess("train", "-d", file, "--label-col", "y", "--trainer", "lbfgs", "-o", _folder.File("a.zip"), "--json");
        Assert.True(inferred.ExitCode == 0, inferred.Error);
        var code = JsonNode.Parse(inferred.Out)!["columns"]!.AsArray().Single(c => (string)c!["name"]! == "code")!;
        Assert.Equal("Numeric", (string)code["kind"]!);

        var overridden = CliRunner.InProcess("train", "-d", file, "--label-col", "y", "--trainer", "lbfgs", "--column-type", "code=text", "-o", _folder.File("b.zip"), "--show-schema");
        Assert.True(overridden.ExitCode == 0, overridden.Error);
        Assert.Contains("separator comma, header yes, quoting on, decimal mark '.', inferred from 40 rows", overridden.Out);
        Assert.Matches(@"0  code\s+Text\s+Text", overridden.Out);

        var bad = CliRunner.InProcess("train", "-d", file, "--label-col", "y", "--column-type", "code=date");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("error: --column-type 'code=date' is not NAME=numeric, NAME=boolean, NAME=text, NAME=monthfirst or NAME=dayfirst.", bad.Error.Trim());
    }

    [Fact]
    public void The_schema_shows_the_column_to_predict_as_the_label_even_where_it_would_be_an_identifier()
    {
        // A rank that counts the rows reads as a row number, an identifier, when it is a feature; as the label it is predicted.
        var rows = Enumerable.Range(1, 40).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i * 7 % 13}.5,{i % 5},{i}"));
        var file = _folder.Write("ranks.csv", "x,y,rank\n" + string.Join("\n", rows) + "\n");
        Assert.Matches(@"2  rank\s+Numeric\s+Identifier", CliRunner.InProcess("train", "-d", file, "--show-schema").Out);

        var shown = CliRunner.InProcess("train", "-d", file, "--label-col", "Rank", "--show-schema");
        Assert.True(shown.ExitCode == 0, shown.Error);
        Assert.Matches(@"2  rank\s+Numeric\s+Label\r?\n", shown.Out);
        Assert.Matches(@"1  y\s+Numeric\s+Numeric\r?\n", shown.Out);

        var trained = CliRunner.InProcess("train", "-d", file, "--label-col", "rank", "--trainer", "sdca", "-o", _folder.File("r.zip"), "--json");
        Assert.True(trained.ExitCode == 0, trained.Error);
        var purposes = JsonNode.Parse(trained.Out)!["columns"]!.AsArray().Select(c => (string)c!["purpose"]!).ToArray();
        Assert.Equal(new[] { "Numeric", "Numeric", "Label" }, purposes);

        var unknown = CliRunner.InProcess("train", "-d", file, "--label-col", "ranking", "--show-schema");
        Assert.Equal(3, unknown.ExitCode);
        Assert.Equal("error: Column 'ranking' not found. Columns: x, y, rank.", unknown.Error.Trim());
        Assert.Equal("", unknown.Out);
    }

    [Fact]
    public void Values_declared_missing_leave_a_column_numeric_and_are_imputed()
    {
        // One weight in four is written "-": read as text by default (with a warning), as a number with gaps when declared missing.
        var rows = Enumerable.Range(0, 40).Select(i => string.Create(CultureInfo.InvariantCulture, $"{(i % 4 == 3 ? "-" : (i * 1.5).ToString(CultureInfo.InvariantCulture))},{(i < 20 ? "light" : "heavy")}"));
        var file = _folder.Write("dashes.csv", "weight,y\n" + string.Join("\n", rows) + "\n");
        var plain = CliRunner.InProcess("train", "-d", file, "--label-col", "y", "--show-schema");
        Assert.Matches(@"0  weight\s+Text\s+", plain.Out);
        Assert.Contains("declare them missing (--missing-values -)", plain.Error);

        var declared = CliRunner.InProcess("train", "-d", file, "--label-col", "y", "--trainer", "forest", "--missing-values", "-,n.a.", "-o", _folder.File("d.zip"), "--json");
        Assert.True(declared.ExitCode == 0, declared.Error);
        Assert.Equal("Numeric", (string)JsonNode.Parse(declared.Out)!["columns"]![0]!["kind"]!);
        Assert.DoesNotContain("warning", declared.Error);

        // Like the separator, the missing values are a property of each file read: say them again for new data.
        var fresh = _folder.Write("fresh.csv", "weight,y\n-,light\n3,light\n");
        var scored = CliRunner.InProcess("predict", "--model", _folder.File("d.zip"), "-d", fresh, "--missing-values", "-", "-o", _folder.File("p.csv"));
        Assert.True(scored.ExitCode == 0, scored.Error);
        Assert.Equal(3, File.ReadAllLines(_folder.File("p.csv")).Length);
        var unsaid = CliRunner.InProcess("predict", "--model", _folder.File("d.zip"), "-d", fresh, "-o", _folder.File("q.csv"));
        Assert.Equal(3, unsaid.ExitCode);
        Assert.Contains($"{fresh}, line 2, column 'weight': value '-': expected a number", unsaid.Error);

        var empty = CliRunner.InProcess("train", "-d", file, "--label-col", "y", "--missing-values", "-,");
        Assert.Equal((2, "error: --missing-values holds an empty value; the empty field is always missing."), (empty.ExitCode, empty.Error.Trim()));
    }

    [Fact]
    public void Usage_errors_exit_with_2()
    {
        var unknown = CliRunner.InProcess("train", "--trainer", "magic");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("magic", unknown.Error);
        var noLabel = CliRunner.InProcess("train", "--dataset", _folder.Write("x.csv", "a,b\n1,2\n"));
        Assert.Equal(2, noLabel.ExitCode);
        Assert.Equal("error: --label-col is required with --dataset.", noLabel.Error.Trim());
        var noModel = CliRunner.InProcess("evaluate");
        Assert.Equal(2, noModel.ExitCode);
        Assert.Contains("--model", noModel.Error);
    }

    [Fact]
    public void Evaluating_a_damaged_model_file_is_an_input_error()
    {
        var model = _folder.Write("junk.zip", "this is not a zip file");
        var result = CliRunner.InProcess("evaluate", "--model", model);
        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith($"error: {model}: not a readable MlToolkit model file (truncated or corrupt:", result.Error.Trim());
    }

    private static IEnumerable<string> Breast(int from, int to)
    {
        var lines = new StreamReader(new System.IO.Compression.GZipStream(
            File.OpenRead(Path.Combine(RepoPaths.Root, "Data", "Samples", "breast_cancer.csv.gz")), System.IO.Compression.CompressionMode.Decompress)).ReadToEnd()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Skip(1 + from).Take(to - from);
    }

    private static string Csv(IEnumerable<string> rows)
    {
        var header = new StreamReader(new System.IO.Compression.GZipStream(
            File.OpenRead(Path.Combine(RepoPaths.Root, "Data", "Samples", "breast_cancer.csv.gz")), System.IO.Compression.CompressionMode.Decompress)).ReadLine();
        return header + "\n" + string.Join("\n", rows) + "\n";
    }

    [Fact]
    public void A_quoted_header_with_a_name_like_na_is_found_and_the_test_file_is_read_the_same_way()
    {
        // Glass-like data: 'Na' (sodium) must not read as "not available" and cost the file its header.
        string Rows(int from, int to) => string.Concat(Enumerable.Range(from, to - from).Select(i =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{1.51 + i % 7 * 0.001:0.000},{12 + i % 5},{(i % 3 == 0 ? 0.5 : 3.5) + i % 2 * 0.1:0.0},\"{1 + i % 3 / 2}\"\n")));
        const string header = "\"RI\",\"Na\",\"Mg\",\"Type\"\n";
        var train = _folder.Write("glass-train.csv", header + Rows(0, 90));
        var test = _folder.Write("glass-test.csv", header + Rows(90, 120));
        foreach (var hasHeader in new[] { Array.Empty<string>(), new[] { "--has-header", "true" } })
        {
            var result = CliRunner.InProcess(new[] { "train", "--dataset", train, "--label-col", "Type", "--trainer", "lbfgs", "--test-dataset", test, "-o", _folder.File("g.zip"), "--json" }.Concat(hasHeader).ToArray());
            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Equal(30, (long)JsonNode.Parse(result.Out)!["test"]!["rows"]!);
        }
        var headerless = _folder.Write("noheader.csv", Rows(0, 40));
        var missing = CliRunner.InProcess("train", "--dataset", headerless, "--label-col", "Type", "-o", _folder.File("n.zip"));
        Assert.Equal(3, missing.ExitCode);
        Assert.EndsWith("No header row was detected, so the columns are numbered; if the first row names the columns, say so (--has-header true, or DelimitedLoadOptions.HasHeader = true).", missing.Error.Trim());
    }
}
