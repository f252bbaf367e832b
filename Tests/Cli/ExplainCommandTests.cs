using System.Text.Json.Nodes;

namespace MlToolkit.Tests.Cli;

/// <summary><c>mltoolkit explain</c> on classic and torch models, checked on what must hold of each method.</summary>
[Collection(MlToolkit.Tests.Trainers.Torch.TorchCollection.Name)]
public sealed class ExplainCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Shap_lime_and_pfi_explain_a_lightgbm_model_on_breast_cancer()
    {
        var model = _folder.File("bc.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--sample", "breast-cancer", "-o", model).ExitCode);

        var shap = CliRunner.InProcess("explain", "-m", model, "--sample", "breast-cancer", "--rows", "0,7", "--background-rows", "40", "--samples", "512", "--json");
        Assert.True(shap.ExitCode == 0, shap.Error);
        var rows = JsonNode.Parse(shap.Out)!.AsArray();
        Assert.Equal(new[] { 0, 7 }, rows.Select(r => (int)r!["row"]!));
        foreach (var row in rows)
        {
            var sum = row!["features"]!.AsArray().Sum(f => (double)f!["attribution"]!);
            Assert.Equal((double)row["prediction"]! - (double)row["baseValue"]!, sum, 5);
            Assert.Equal(30, row["features"]!.AsArray().Count);
            Assert.StartsWith("probability of '", (string)row["output"]!);
        }

        var lime = CliRunner.InProcess("explain", "-m", model, "--sample", "breast-cancer", "--method", "lime", "--samples", "500");
        Assert.True(lime.ExitCode == 0, lime.Error);
        Assert.Contains("Row 0: probability of '", lime.Out);
        Assert.Contains("surrogate: intercept ", lime.Out);

        var pfi = CliRunner.InProcess("explain", "-m", model, "--sample", "breast-cancer", "--method", "pfi", "--repeats", "2", "--json");
        Assert.True(pfi.ExitCode == 0, pfi.Error);
        var importance = JsonNode.Parse(pfi.Out)!;
        Assert.Equal("accuracy", (string)importance["metric"]!);
        Assert.Equal(30, importance["columns"]!.AsArray().Count);
        Measured.AtLeast((double)importance["columns"]![0]!["importance"]!, 0.02, 0.0246, "accuracy lost when breast cancer's most important column is shuffled");
    }

    [Fact]
    public void Bad_rows_are_a_usage_error_that_says_how_many_rows_there_are()
    {
        var model = _folder.File("iris.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--sample", "iris", "--trainer", "lbfgs", "-o", model).ExitCode);
        var beyond = CliRunner.InProcess("explain", "-m", model, "--sample", "iris", "--rows", "3,150");
        Assert.Equal(2, beyond.ExitCode);
        Assert.Contains("error: --rows 150: the data has 150 rows (rows are counted from 0).", beyond.Error);
        var word = CliRunner.InProcess("explain", "-m", model, "--sample", "iris", "--rows", "first");
        Assert.Equal(2, word.ExitCode);
        Assert.Contains("error: --rows 'first': expected a row number (0-based), e.g. --rows 0,5,7.", word.Error);
        var classic = CliRunner.InProcess("explain", "-m", model, "--sample", "iris", "--method", "gradients", "-o", _folder.File("g"));
        Assert.Equal(2, classic.ExitCode);
        Assert.Contains("is not a torch network; use Kernel SHAP or LIME.", classic.Error);
    }

    [Fact]
    public void Gradients_draw_a_saliency_map_of_a_cnn_whose_attributions_add_up_to_the_output_change()
    {
        var (images, labels) = MnistSamples.Read(1000);
        MnistSamples.WriteIdx(_folder.File("images.gz"), _folder.File("labels.gz"), images, labels);
        var model = _folder.File("cnn.zip");
        Assert.Equal(0, CliRunner.InProcess("train", "--trainer", "cnn", "--idx-images", _folder.File("images.gz"), "--idx-labels", _folder.File("labels.gz"), "--epochs", "1", "-o", model).ExitCode);
        var explained = CliRunner.InProcess("explain", "-m", model, "--idx-images", _folder.File("images.gz"), "--idx-labels", _folder.File("labels.gz"),
            "--method", "gradients", "--rows", "0,1", "-o", _folder.File("maps"), "--json");
        Assert.True(explained.ExitCode == 0, explained.Error);
        foreach (var row in JsonNode.Parse(explained.Out)!.AsArray())
        {
            var change = (double)row!["prediction"]! - (double)row["baselineOutput"]!;
            var gap = Math.Abs((double)row["attributionSum"]! - change);
            Measured.AtMost(gap, 0.001, 0.00037, "|Σ integrated gradients − (output − baseline output)| of a CNN on MNIST, 64 steps");
            var png = File.ReadAllBytes((string)row["png"]!);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4));
        }
    }

    [Fact]
    public void Gradients_highlight_the_tokens_of_a_text_model_and_add_up_to_the_output_change()
    {
        // The first 200 reviews (the sample interleaves the labels): what is checked holds for any trained GRU, and one
        // epoch on them takes a tenth of one on all 2,000.
        _folder.Write("reviews.tsv", string.Join('\n', SampleText.Read("imdb").Split('\n').Take(201)) + "\n");
        var model = _folder.File("gru.zip");
        var train = CliRunner.InProcess("train", "--dataset", _folder.File("reviews.tsv"), "--label-col", "Label", "--trainer", "gru", "--epochs", "1", "--param", "hidden=32", "--param", "embedding=64", "-o", model);
        Assert.True(train.ExitCode == 0, train.Error);
        var explained = CliRunner.InProcess("explain", "-m", model, "--dataset", _folder.File("reviews.tsv"), "--method", "gradients", "--rows", "0", "-o", _folder.File("text"), "--json");
        Assert.True(explained.ExitCode == 0, explained.Error);
        var row = JsonNode.Parse(explained.Out)!.AsArray()[0]!;
        var tokens = row["tokens"]!.AsArray();
        Assert.True(tokens.Count > 20, $"{tokens.Count} tokens");
        var change = (double)row["prediction"]! - (double)row["baselineOutput"]!;
        Measured.AtMost(Math.Abs(tokens.Sum(t => (double)t!["attribution"]!) - change), 2e-6, 9.5e-7, "|Σ token attributions − (output − baseline output)| of a GRU on IMDB, 64 steps");
        var html = File.ReadAllText(Path.Combine(_folder.File("text"), "tokens.html"));
        Assert.Contains("<span style=\"background:rgba(", html);
        Assert.Contains($">{System.Net.WebUtility.HtmlEncode((string)tokens[0]!["token"]!)}</span>", html);
    }
}
