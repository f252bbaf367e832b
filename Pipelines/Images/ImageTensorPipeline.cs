using Microsoft.ML;
using Microsoft.ML.Transforms.Image;

namespace MlToolkit.Pipelines.Images;

/// <summary>
/// Image path → fixed-size float tensor (C×H×W, channel-planar, pixel/255) with ML.NET's ImageAnalytics:
/// load, resize, optionally convert to grayscale, extract pixels.
/// </summary>
public static class ImageTensorPipeline
{
    /// <summary>The estimator writing <paramref name="outputColumn"/> (C·H·W floats) from image paths in <paramref name="pathColumn"/>.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="pathColumn">Text column of image file paths.</param>
    /// <param name="outputColumn">Output tensor column.</param>
    /// <param name="width">Width to resize to.</param>
    /// <param name="height">Height to resize to.</param>
    /// <param name="grayscale">One channel (grayscale) instead of three (RGB).</param>
    public static IEstimator<ITransformer> Build(MLContext mlContext, string pathColumn, string outputColumn, int width, int height, bool grayscale)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        const string image = "__image";
        var transforms = mlContext.Transforms;
        IEstimator<ITransformer> pipeline = transforms.LoadImages(image, imageFolder: null, pathColumn)
            .Append(transforms.ResizeImages(image, width, height, image, ImageResizingEstimator.ResizingKind.IsoPad));
        if (grayscale)
            pipeline = pipeline.Append(transforms.ConvertToGrayscale(image, image));
        return pipeline
            .Append(transforms.ExtractPixels(outputColumn, image,
                grayscale ? ImagePixelExtractingEstimator.ColorBits.Red : ImagePixelExtractingEstimator.ColorBits.Rgb,
                interleavePixelColors: false, scaleImage: 1f / 255))
            .Append(transforms.DropColumns(image));
    }
}
