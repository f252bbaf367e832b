using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Samples;

namespace MlToolkit.Tests.Support;

/// <summary>
/// Real measurements with a label drawn independently of them: no model can learn it, so nothing should beat predicting
/// the most frequent class.
/// </summary>
internal static class NoSignalData
{
    /// <summary>
    /// Writes breast cancer's 30 measurements (569 rows) with a label column <c>outcome</c> drawn with a fixed seed:
    /// each row gets <paramref name="classes"/>[k] with probability <paramref name="shares"/>[k].
    /// </summary>
    public static string Write(TempFolder folder, string name, IReadOnlyList<string> classes, IReadOnlyList<double> shares, int seed = 7)
    {
        var ml = new MLContext(1);
        var data = SampleDatasets.BreastCancer(ml);
        var columns = data.Schema.Where(c => c.Name != "diagnosis").Select(c => (c.Name, Values: data.GetColumn<float>(c.Name).ToArray())).ToList();
        var random = new Random(seed);
        var text = new StringBuilder(string.Join(",", columns.Select(c => c.Name).Append("outcome"))).Append('\n');
        for (var row = 0; row < columns[0].Values.Length; row++)
        {
            var draw = random.NextDouble();
            var k = 0;
            while (k < shares.Count - 1 && draw >= shares.Take(k + 1).Sum())
                k++;
            text.Append(string.Join(",", columns.Select(c => c.Values[row].ToString("R", CultureInfo.InvariantCulture)).Append(classes[k]))).Append('\n');
        }
        return folder.Write(name, text.ToString());
    }

    /// <summary>
    /// Writes the first <paramref name="rows"/> reviews of the IMDB sample (tab-separated <c>Label</c> and <c>Text</c>, tabs,
    /// line breaks and quotes in the text made spaces) with a label drawn with a fixed seed: <c>pos</c> with probability
    /// <paramref name="share"/>, else <c>neg</c>.
    /// </summary>
    public static string WriteReviews(TempFolder folder, string name, int rows, double share, int seed = 7)
    {
        var reviews = SampleDatasets.Imdb(new MLContext(1)).GetColumn<ReadOnlyMemory<char>>("Text").Take(rows).ToList();
        var random = new Random(seed);
        var text = new StringBuilder("Label\tText\n");
        foreach (var review in reviews)
        {
            var clean = new string(review.Span.ToArray().Select(c => c is '\t' or '\n' or '\r' or '"' ? ' ' : c).ToArray());
            text.Append(random.NextDouble() < share ? "pos" : "neg").Append('\t').Append(clean).Append('\n');
        }
        return folder.Write(name, text.ToString());
    }
}
