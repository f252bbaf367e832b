using System.Globalization;
using System.Net;
using System.Text;
using MlToolkit.Models.Explanations;
using SkiaSharp;

namespace MlToolkit.Experiments.Reporting;

/// <summary>Pictures of attributions: a saliency overlay PNG for images, highlighted text in HTML for tokens.</summary>
public static class AttributionImages
{
    /// <summary>
    /// Writes the image (grey, or RGB for 3 channels, scaled to its own range) with its attributions over it: red where
    /// a pixel raised the explained output, blue where it lowered it, opacity by strength. Each pixel is drawn
    /// <paramref name="scale"/> times larger.
    /// </summary>
    /// <exception cref="ArgumentException">The input is not an image (C×H×W with 1 or 3 channels).</exception>
    public static void WriteSaliencyPng(InputAttribution attribution, string path, int scale = 8)
    {
        ArgumentNullException.ThrowIfNull(attribution);
        var shape = attribution.Shape;
        if (shape.Length != 3 || shape[0] is not (1 or 3))
            throw new ArgumentException($"A saliency image needs a C×H×W input with 1 or 3 channels, not [{string.Join("×", shape)}].", nameof(attribution));
        var (channels, height, width) = ((int)shape[0], (int)shape[1], (int)shape[2]);
        var pixels = attribution.Input;
        var (low, high) = (pixels.Min(), pixels.Max());
        var range = high > low ? high - low : 1;
        var heat = new float[height * width];
        for (var i = 0; i < heat.Length; i++)
            for (var c = 0; c < channels; c++)
                heat[i] += attribution.Attributions[c * height * width + i];
        var strongest = Math.Max(heat.Max(Math.Abs), 1e-12f);
        using var bitmap = new SKBitmap(width * scale, height * scale);
        using (var canvas = new SKCanvas(bitmap))
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var i = y * width + x;
                    byte Channel(int c) => (byte)(255 * (pixels[(channels == 3 ? c : 0) * height * width + i] - low) / range);
                    var baseColor = new SKColor(Channel(0), Channel(1), Channel(2));
                    var strength = heat[i] / strongest;
                    var tint = strength >= 0 ? new SKColor(230, 30, 30) : new SKColor(30, 80, 230);
                    using var paint = new SKPaint { Color = Blend(baseColor, tint, Math.Abs(strength) * 0.85f) };
                    canvas.DrawRect(x * scale, y * scale, scale, scale, paint);
                }
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    /// <summary>The text with each token's background red (raised the output) or blue (lowered it), its value on hover.</summary>
    public static string TokensToHtml(TokenAttributionRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var strongest = Math.Max(row.Tokens.Select(t => Math.Abs(t.Attribution)).DefaultIfEmpty(0).Max(), 1e-12);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"tokens\" title=\"{WebUtility.HtmlEncode(row.Output)}\">");
        foreach (var token in row.Tokens)
        {
            var strength = token.Attribution / strongest;
            var color = strength >= 0 ? "230,30,30" : "30,80,230";
            html.Append(CultureInfo.InvariantCulture, $"<span style=\"background:rgba({color},{Math.Abs(strength) * 0.8:0.###})\" title=\"{token.Attribution:+0.0000;-0.0000}\">{WebUtility.HtmlEncode(token.Token)}</span> ");
        }
        return html.Append("</p>").ToString();
    }

    private static SKColor Blend(SKColor under, SKColor over, float alpha) => new(
        (byte)(under.Red + (over.Red - under.Red) * alpha),
        (byte)(under.Green + (over.Green - under.Green) * alpha),
        (byte)(under.Blue + (over.Blue - under.Blue) * alpha));
}
