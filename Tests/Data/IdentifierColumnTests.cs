using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using MlToolkit.Data.Delimited;
using MlToolkit.Data.IO;
using MlToolkit.Data.Samples;
using MlToolkit.Pipelines.Featurization;
using MlToolkit.Tests.Support;

namespace MlToolkit.Tests.Data;

/// <summary>
/// A column that holds a different key in every row (a customer id, a row number) is read as an identifier and left
/// out of the features, so that it neither turns a table into "text" nor lets a model learn where a row sits.
/// </summary>
public sealed class IdentifierColumnTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ColumnPurpose PurposeOf(string header, IEnumerable<string> values, DelimitedLoadOptions? options = null)
    {
        var text = header + "\n" + string.Concat(values.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{v},{i % 3}\n")));
        var layout = DelimitedSchemaInference.Infer(TextSource.FromStream("t.csv", () => new MemoryStream(Encoding.UTF8.GetBytes(text))), options);
        return layout.Columns[0].Purpose;
    }

    private static IEnumerable<string> Keys(int count) => Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"C-{i * 7919 % 100_003:X5}"));

    [Fact]
    public void A_different_single_token_in_each_of_twenty_rows_is_an_identifier()
    {
        Assert.Equal(ColumnPurpose.Identifier, PurposeOf("id,x", Keys(20)));
        Assert.Equal(ColumnPurpose.Identifier, PurposeOf("mail,x", Enumerable.Range(0, 30).Select(i => $"user{i}@example.org")));
        // Nineteen rows cannot tell keys from a short list of categories.
        Assert.Equal(ColumnPurpose.Text, PurposeOf("id,x", Keys(19)));
        // One value repeated: not a key.
        Assert.Equal(ColumnPurpose.Text, PurposeOf("id,x", Keys(29).Append("C-00000")));
        // Words with spaces between them are free text even when each row's text differs.
        Assert.Equal(ColumnPurpose.Text, PurposeOf("note,x", Enumerable.Range(0, 30).Select(i => $"visit {i} went well")));
    }

    [Fact]
    public void Whole_numbers_counting_the_rows_from_0_or_1_are_an_identifier_and_other_unique_numbers_are_not()
    {
        Assert.Equal(ColumnPurpose.Identifier, PurposeOf(",x", Enumerable.Range(0, 25).Select(i => i.ToString(CultureInfo.InvariantCulture))));
        Assert.Equal(ColumnPurpose.Identifier, PurposeOf("row,x", Enumerable.Range(1, 25).Select(i => i.ToString(CultureInfo.InvariantCulture))));
        Assert.Equal(ColumnPurpose.Numeric, PurposeOf("year,x", Enumerable.Range(1950, 25).Select(i => i.ToString(CultureInfo.InvariantCulture))));
        Assert.Equal(ColumnPurpose.Numeric, PurposeOf("row,x", Enumerable.Range(1, 25).Where(i => i != 7).Select(i => i.ToString(CultureInfo.InvariantCulture))));
        Assert.Equal(ColumnPurpose.Numeric, PurposeOf("row,x", Enumerable.Range(1, 25).Select(i => i == 9 ? "" : i.ToString(CultureInfo.InvariantCulture))));
        Assert.Equal(ColumnPurpose.Numeric, PurposeOf("row,x", Enumerable.Range(1, 19).Select(i => i.ToString(CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void Unique_whole_numbers_are_an_identifier_under_a_name_that_says_key_and_a_measurement_otherwise()
    {
        IEnumerable<string> Unique(int count, int from = 842_302) => Enumerable.Range(0, count).Select(i => (from + i * 37).ToString(CultureInfo.InvariantCulture));
        foreach (var name in new[] { "CustomerID", "customer_id", "employeeNumber", "Invoice No", "order.key", "Id", "PatientNr", "row_uuid" })
            Assert.True(ColumnPurpose.Identifier == PurposeOf(name + ",x", Unique(25)), name);
        foreach (var name in new[] { "tract", "price_cents", "idle", "Identity", "keyboard", "number_of_children", "Kidney" })
            Assert.True(ColumnPurpose.Numeric == PurposeOf(name + ",x", Unique(25)), name);
        Assert.Equal(ColumnPurpose.Numeric, PurposeOf("CustomerID,x", Unique(19)));
        Assert.Equal(ColumnPurpose.Numeric, PurposeOf("CustomerID,x", Unique(24).Append("842302")));
        Assert.Equal(ColumnPurpose.Numeric, PurposeOf("CustomerID,x", Unique(25).Select((v, i) => i == 4 ? "" : v)));
        Assert.Equal(ColumnPurpose.Numeric, PurposeOf("CustomerID,x", Unique(25).Select(v => v + ".5")));
    }

    [Fact]
    public void Column_names_split_into_words_at_separators_and_case_changes()
    {
        Assert.Equal(new[] { "customer", "Id" }, KeyColumnNames.Words("customerId"));
        Assert.Equal(new[] { "ID", "Number" }, KeyColumnNames.Words("IDNumber"));
        Assert.Equal(new[] { "CUSTOMER", "ID" }, KeyColumnNames.Words("CUSTOMER_ID"));
        Assert.Equal(new[] { "Invoice", "No" }, KeyColumnNames.Words(" Invoice  No. "));
        Assert.Equal(new[] { "area2", "Code" }, KeyColumnNames.Words("area2Code"));
        Assert.Empty(KeyColumnNames.Words("__"));
    }

    [Fact]
    public void A_type_given_for_an_identifier_uses_it_as_that_type()
    {
        var asText = new DelimitedLoadOptions { ColumnKinds = new Dictionary<string, ColumnKind> { ["id"] = ColumnKind.Text } };
        Assert.Equal(ColumnPurpose.Text, PurposeOf("id,x", Keys(30), asText));
        var asNumber = new DelimitedLoadOptions { ColumnKinds = new Dictionary<string, ColumnKind> { ["row"] = ColumnKind.Numeric } };
        Assert.Equal(ColumnPurpose.Numeric, PurposeOf("row,x", Enumerable.Range(1, 30).Select(i => i.ToString(CultureInfo.InvariantCulture)), asNumber));
    }

    /// <summary>
    /// Breast cancer (the built-in sample) sorted by its label, as exports often are, with a pandas-style row index and a
    /// patient key before its columns when <paramref name="withKeys"/>.
    /// </summary>
    private string BreastCancer(bool withKeys)
    {
        using var reader = SampleDatasets.BreastCancerInfo.OpenSource().OpenReader();
        var header = reader.ReadLine()!;
        var label = Array.IndexOf(header.Split(','), "diagnosis");
        var rows = Lines(reader).OrderBy(l => l.Split(',')[label], StringComparer.Ordinal).ToList();
        var text = new StringBuilder(withKeys ? ",patient," : "").Append(header).Append('\n');
        for (var row = 0; row < rows.Count; row++)
            text.Append(withKeys ? string.Create(CultureInfo.InvariantCulture, $"{row},P{(row + 1) * 7919 % 100_003:X5},") : "").Append(rows[row]).Append('\n');
        return _folder.Write(withKeys ? "keyed.csv" : "plain.csv", text.ToString());
    }

    private static IEnumerable<string> Lines(TextReader reader)
    {
        while (reader.ReadLine() is { } line)
            yield return line;
    }

    [Fact]
    public void Train_leaves_the_keys_out_says_so_and_scores_as_without_them()
    {
        JsonNode Train(string file, params string[] more)
        {
            var run = CliRunner.InProcess(new[] { "train", "--dataset", file, "--label-col", "diagnosis", "--trainer", "lightgbm", "--seed", "3", "-o", _folder.File(Path.GetFileNameWithoutExtension(file) + more.Length + ".zip"), "--json" }.Concat(more).ToArray());
            Assert.True(run.ExitCode == 0, run.Error);
            return JsonNode.Parse(run.Out)!;
        }
        double Accuracy(JsonNode trained) => (double)trained["test"]!["metrics"]!["accuracy"]!;
        var plain = Train(BreastCancer(withKeys: false));
        var keyed = Train(BreastCancer(withKeys: true));
        Assert.Equal(new[] { "Column0", "patient" }, keyed["identifierColumns"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("Identifier", (string)keyed["columns"]![1]!["purpose"]!);
        // Same rows, same split, same trainer: the keys change nothing (0.9735 on the 113 held-out rows).
        Assert.Equal(Accuracy(plain), Accuracy(keyed));
        // Used as a number, the row index of a file sorted by its label gives the label away: a perfect score that no
        // new row would see. That is what leaving it out avoids.
        Assert.Equal(1.0, Accuracy(Train(_folder.File("keyed.csv"), "--column-type", "Column0=numeric")));

        var text = CliRunner.InProcess("train", "--dataset", _folder.File("keyed.csv"), "--label-col", "diagnosis", "--trainer", "lbfgs", "-o", _folder.File("t.zip"));
        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("Left out Column0, patient: a different value in every row, read as identifiers, not a feature (--column-type Column0=text or =numeric uses it)", text.Out);

        var used = Train(_folder.File("keyed.csv"), "--column-type", "patient=text");
        Assert.Equal(new[] { "Column0" }, used["identifierColumns"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("Text", (string)used["columns"]![1]!["purpose"]!);
    }

    [Fact]
    public void Numbered_patient_keys_of_a_file_sorted_by_its_label_are_left_out_instead_of_giving_the_label_away()
    {
        // Breast cancer sorted by diagnosis, each row keyed by a patient number handed out in that order, as a
        // database's sequence would: the number alone separates the classes.
        using var reader = SampleDatasets.BreastCancerInfo.OpenSource().OpenReader();
        var header = reader.ReadLine()!;
        var label = Array.IndexOf(header.Split(','), "diagnosis");
        var text = new StringBuilder("PatientNumber,").Append(header).Append('\n');
        foreach (var (line, row) in Lines(reader).OrderBy(l => l.Split(',')[label], StringComparer.Ordinal).Select((l, i) => (l, i)))
            text.Append(CultureInfo.InvariantCulture, $"{842_302 + row * 37},").Append(line).Append('\n');
        var file = _folder.Write("numbered.csv", text.ToString());
        double Accuracy(params string[] more)
        {
            var run = CliRunner.InProcess(new[] { "train", "--dataset", file, "--label-col", "diagnosis", "--trainer", "lightgbm", "--seed", "3", "-o", _folder.File("n" + more.Length + ".zip"), "--json" }.Concat(more).ToArray());
            Assert.True(run.ExitCode == 0, run.Error);
            var trained = JsonNode.Parse(run.Out)!;
            Assert.Equal(more.Length == 0 ? new[] { "PatientNumber" } : Array.Empty<string>(), trained["identifierColumns"]!.AsArray().Select(n => (string)n!));
            return (double)trained["test"]!["metrics"]!["accuracy"]!;
        }
        // As without the key (0.9735 on the 113 held-out rows); used as a number it scores a leaking 1.0.
        Assert.Equal(0.9735, Accuracy(), 4);
        Assert.Equal(1.0, Accuracy("--column-type", "PatientNumber=numeric"));
    }

    [Fact]
    public void Predictions_carry_the_keys_the_model_was_trained_beside()
    {
        var keyed = BreastCancer(withKeys: true);
        var model = _folder.File("m.zip");
        var trained = CliRunner.InProcess("train", "--dataset", keyed, "--label-col", "diagnosis", "--trainer", "lbfgs", "-o", model);
        Assert.True(trained.ExitCode == 0, trained.Error);
        // Three rows: too few to be read as identifiers here, and still copied, since the model names them.
        var few = _folder.Write("few.csv", string.Join('\n', File.ReadLines(keyed).Take(4)) + "\n");
        var run = CliRunner.InProcess("predict", "--model", model, "--dataset", few, "-o", _folder.File("p.csv"));
        Assert.True(run.ExitCode == 0, run.Error);
        var lines = File.ReadAllLines(_folder.File("p.csv"));
        Assert.Equal("row,Column0,patient,predicted_diagnosis,score,probability_malignant", lines[0]);
        Assert.Equal(new[] { "1,0,P01EEF,benign,", "2,1,P03DDE,benign,", "3,2,P05CCD,benign," }, lines.Skip(1).Select(l => string.Join(',', l.Split(',').Take(4)) + ","));

        var plain = CliRunner.InProcess("train", "--dataset", BreastCancer(withKeys: false), "--label-col", "diagnosis", "--trainer", "lbfgs", "-o", _folder.File("plain.zip"));
        Assert.True(plain.ExitCode == 0, plain.Error);
        Assert.Equal(0, CliRunner.InProcess("predict", "--model", _folder.File("plain.zip"), "--dataset", few, "-o", _folder.File("q.csv")).ExitCode);
        Assert.Equal("row,predicted_diagnosis,score,probability_malignant", File.ReadLines(_folder.File("q.csv")).First());
    }

    [Fact]
    public void Automl_on_a_table_with_keys_searches_it_as_the_table_it_is()
    {
        JsonNode Search(string file)
        {
            var run = CliRunner.InProcess("automl", "--dataset", file, "--label-col", "diagnosis", "--trainers", "lbfgs", "--max-trials", "1", "--cv", "3",
                "--isolation", "thread", "--explain", "false", "--ensemble", "false", "-o", _folder.File(Path.GetFileNameWithoutExtension(file)), "--json");
            Assert.True(run.ExitCode == 0, run.Error);
            return JsonNode.Parse(run.Out)!;
        }
        var plain = Search(BreastCancer(withKeys: false));
        var keyed = Search(BreastCancer(withKeys: true));
        Assert.Equal(new[] { "Column0", "patient" }, keyed["identifierColumns"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(3, (int)keyed["folds"]!);
        Assert.Equal((double)plain["best"]!["value"]!, (double)keyed["best"]!["value"]!);
    }

    [Fact]
    public void A_table_of_keys_alone_is_refused_naming_them()
    {
        var text = new StringBuilder("order,y\n");
        foreach (var (key, i) in Keys(40).Select((k, i) => (k, i)))
            text.Append(CultureInfo.InvariantCulture, $"{key},{(i % 2 == 0 ? "a" : "b")}\n");
        var run = CliRunner.InProcess("train", "--dataset", _folder.Write("keys.csv", text.ToString()), "--label-col", "y", "-o", _folder.File("k.zip"));
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("No feature columns are left besides the label 'y': 'order' holds a different value in every row, so it is read as an identifier, which is not a feature. To use one, give it a type (--column-type order=text, or DelimitedLoadOptions.ColumnKinds / ColumnInformation).", run.Error);
    }
}
