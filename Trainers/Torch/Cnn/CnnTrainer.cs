using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Architectures;
using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Cnn;

/// <summary>
/// A convolutional image classifier trained with TorchSharp over a fixed-size image tensor column (C×H×W floats,
/// e.g. from <c>ExtractPixels</c> or an IDX loader), with optional training-time augmentation (random crop with
/// padding, horizontal flip). Create it from a task catalog: <c>mlContext.MulticlassClassification.Trainers.Cnn()</c>.
/// </summary>
public sealed class CnnTrainer : TorchTrainerBase<CnnTrainer.Options>
{
    /// <summary>Creates the trainer for <paramref name="task"/> (multiclass or binary); the options are validated and copied.</summary>
    public CnnTrainer(PredictionTask task, Options options) : base(task, options)
    {
        if (task == PredictionTask.Regression)
            throw new ArgumentException("The CNN trainer classifies images; regression is not one of its tasks.", nameof(task));
    }

    /// <summary>CNN settings on top of the shared torch trainer options.</summary>
    public sealed class Options : TorchTrainerOptions
    {
        /// <summary>Image channels; null infers the shape from the column (3-D vector type, else a square 1- or 3-channel image). Default null.</summary>
        public int? ImageChannels { get; set; }

        /// <summary>Image height; set together with <see cref="ImageChannels"/> and <see cref="ImageWidth"/>. Default null.</summary>
        public int? ImageHeight { get; set; }

        /// <summary>Image width. Default null.</summary>
        public int? ImageWidth { get; set; }

        /// <summary>Convolution blocks. Default: 32 then 64 channels, 3×3 kernels, 2×2 max-pooling.</summary>
        public ConvBlock[] Blocks { get; set; } = { new(32), new(64) };

        /// <summary>Hidden dense layer widths after the convolutions. Default [128].</summary>
        public int[] DenseLayers { get; set; } = { 128 };

        /// <summary>Dropout before each dense layer. Default 0.25.</summary>
        public double Dropout { get; set; } = 0.25;

        /// <summary>Training-time random crop: pad by this many zero pixels, then crop back to size at a random offset. 0 disables. Default 0.</summary>
        public int RandomCropPadding { get; set; }

        /// <summary>Training-time random horizontal flip of half the images. Default false.</summary>
        public bool HorizontalFlip { get; set; }

        /// <inheritdoc/>
        public override void Validate()
        {
            base.Validate();
            ArgumentNullException.ThrowIfNull(Blocks, nameof(Blocks));
            ArgumentNullException.ThrowIfNull(DenseLayers, nameof(DenseLayers));
            if (Blocks.Length == 0)
                throw new ArgumentOutOfRangeException(nameof(Blocks), "A CNN needs at least one convolution block.");
            foreach (var block in Blocks)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(block.Channels, 1, nameof(Blocks));
                ArgumentOutOfRangeException.ThrowIfLessThan(block.KernelSize, 1, nameof(Blocks));
                if (block.KernelSize % 2 == 0)
                    throw new ArgumentOutOfRangeException(nameof(Blocks), block.KernelSize, "Kernel sizes must be odd so that padding keeps the image size.");
                ArgumentOutOfRangeException.ThrowIfLessThan(block.Pool, 1, nameof(Blocks));
            }
            foreach (var width in DenseLayers)
                ArgumentOutOfRangeException.ThrowIfLessThan(width, 1, nameof(DenseLayers));
            InRange(Dropout, 0, 0.95, nameof(Dropout));
            ArgumentOutOfRangeException.ThrowIfNegative(RandomCropPadding, nameof(RandomCropPadding));
            var given = new[] { ImageChannels, ImageHeight, ImageWidth }.Count(v => v is not null);
            if (given is not 0 and not 3)
                throw new ArgumentException("Set all of ImageChannels, ImageHeight and ImageWidth, or none.", nameof(ImageChannels));
            if (given == 3)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(ImageChannels!.Value, 1, nameof(ImageChannels));
                ArgumentOutOfRangeException.ThrowIfLessThan(ImageHeight!.Value, 1, nameof(ImageHeight));
                ArgumentOutOfRangeException.ThrowIfLessThan(ImageWidth!.Value, 1, nameof(ImageWidth));
            }
        }
    }

    /// <inheritdoc/>
    protected override NetworkArchitecture CreateArchitecture(Options options, long[] inputShape, int outputSize, TrainingData data) =>
        new CnnArchitecture(options.Blocks.ToArray(), options.DenseLayers.ToArray(), options.Dropout);

    /// <inheritdoc/>
    protected override long[] InputShape(Options options, DataViewSchema.Column features, int featureSize)
    {
        if (options.ImageChannels is { } c)
        {
            long[] given = { c, options.ImageHeight!.Value, options.ImageWidth!.Value };
            if (c * given[1] * given[2] != featureSize)
                throw new SchemaException($"Feature column '{features.Name}' holds {featureSize} values, but the image shape {c}×{given[1]}×{given[2]} needs {c * given[1] * given[2]}.");
            return given;
        }
        if (features.Type is VectorDataViewType { Dimensions.Length: 3 } cube)
            return cube.Dimensions.Select(d => (long)d).ToArray();
        if (features.Type is VectorDataViewType { Dimensions.Length: 2 } plane)
            return new long[] { 1, plane.Dimensions[0], plane.Dimensions[1] };
        foreach (var channels in new[] { 1, 3 })
        {
            var side = (int)Math.Round(Math.Sqrt(featureSize / (double)channels));
            if (featureSize % channels == 0 && side * side * channels == featureSize)
                return new long[] { channels, side, side };
        }
        throw new SchemaException($"Cannot tell the image shape of feature column '{features.Name}' ({featureSize} values): set ImageChannels, ImageHeight and ImageWidth.");
    }

    /// <inheritdoc/>
    protected override Tensor Augment(Options options, Tensor batch, Random random)
    {
        var count = batch.shape[0];
        var height = batch.shape[2];
        var width = batch.shape[3];
        if (options.RandomCropPadding > 0)
        {
            var p = options.RandomCropPadding;
            var padded = nn.functional.pad(batch, new long[] { p, p, p, p });
            var crops = new Tensor[count];
            for (var i = 0; i < count; i++)
            {
                var dy = random.Next(2 * p + 1);
                var dx = random.Next(2 * p + 1);
                crops[i] = padded[i].narrow(1, dy, height).narrow(2, dx, width);
            }
            batch = stack(crops);
        }
        if (options.HorizontalFlip)
        {
            var mask = new bool[count];
            for (var i = 0; i < count; i++)
                mask[i] = random.Next(2) == 1;
            var flip = tensor(mask).reshape(count, 1, 1, 1);
            batch = where(flip, batch.flip(3), batch);
        }
        return batch;
    }
}
