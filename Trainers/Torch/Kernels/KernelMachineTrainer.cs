using MlToolkit.Data;
using MlToolkit.Trainers.Torch.Neighbors;
using MlToolkit.Trainers.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Kernels;

/// <summary>
/// Kernel ridge regression with an RBF kernel, for regression and (on one-hot or 0/1 targets, the least-squares SVM)
/// for classification: exact up to <see cref="Options.MaxExactRows"/> training rows, Nyström-approximated on
/// <see cref="Options.Landmarks"/> sampled rows above. Class probabilities come from a softmax (sigmoid) of the scores
/// times a temperature fitted on the leave-one-out scores, which kernel ridge gives in closed form. Scale the features
/// first. Create it from a task catalog: <c>mlContext.MulticlassClassification.Trainers.KernelMachine()</c>.
/// </summary>
public sealed class KernelMachineTrainer : ClosedFormTrainerBase<KernelMachineTrainer.Options>
{
    private const int CalibrationRows = 2000;

    /// <summary>Creates the trainer for <paramref name="task"/>; the options are validated and copied.</summary>
    public KernelMachineTrainer(PredictionTask task, Options options) : base(task, options)
    {
    }

    /// <summary>Kernel machine settings.</summary>
    public sealed class Options : ClosedFormTrainerOptions
    {
        /// <summary>The ridge penalty λ (the kernel's diagonal is 1): larger is smoother. Default 0.1.</summary>
        public double Regularization { get; set; } = 0.1;

        /// <summary>γ of exp(−γ‖x − y‖²); null uses <see cref="GammaScale"/> / (features × variance of the features), scikit-learn's "scale".</summary>
        public double? Gamma { get; set; }

        /// <summary>Multiplies the "scale" γ when <see cref="Gamma"/> is null. Default 1.</summary>
        public double GammaScale { get; set; } = 1;

        /// <summary>
        /// Up to this many training rows the solution is exact: its time grows with the cube of the rows (2,800 rows took
        /// about 4 s per fit on 2 cores, 1,150 rows 0.3 s), its memory with the square. Default 2,000.
        /// </summary>
        public int MaxExactRows { get; set; } = 2000;

        /// <summary>Sampled rows of the Nyström approximation above <see cref="MaxExactRows"/>. Default 1,000.</summary>
        public int Landmarks { get; set; } = 1000;

        /// <inheritdoc/>
        public override void Validate()
        {
            base.Validate();
            Positive(Regularization, nameof(Regularization));
            if (Gamma is { } gamma)
                Positive(gamma, nameof(Gamma));
            Positive(GammaScale, nameof(GammaScale));
            ArgumentOutOfRangeException.ThrowIfLessThan(MaxExactRows, 1, nameof(MaxExactRows));
            ArgumentOutOfRangeException.ThrowIfLessThan(Landmarks, 1, nameof(Landmarks));
        }
    }

    /// <inheritdoc/>
    protected override ClosedFormModel Solve(Options options, TrainingRows rows)
    {
        var x = rows.Features.to_type(ScalarType.Float64);
        var gamma = options.Gamma ?? options.GammaScale / (rows.FeatureSize * Math.Max(x.var().item<double>(), 1e-12));
        var mean = rows.Targets.mean(new long[] { 0 });
        var centered = rows.Targets.sub(mean);
        var fit = rows.Count <= options.MaxExactRows
            ? KernelRidge.Exact(x, centered, gamma, options.Regularization, rows.CancellationToken)
            : KernelRidge.Nystrom(x, centered, gamma, options.Regularization, Math.Min(options.Landmarks, (int)rows.Count), options.Seed, CalibrationRows, rows.CancellationToken);
        var bias = rows.Output == ClosedFormOutput.BinaryLogit ? mean.Plus(-0.5) : mean;
        var temperature = rows.Output == ClosedFormOutput.Value ? 1.0 : Temperature.Fit(fit.LeaveOneOut.Plus(bias.unsqueeze(0)), fit.LeaveOneOutTargets.Plus(mean.unsqueeze(0)), rows.Output);
        var architecture = new KernelMachineArchitecture(checked((int)fit.Landmarks.shape[0]), gamma, rows.Output);
        return new ClosedFormModel(architecture, new Dictionary<string, Tensor>
        {
            ["landmarks"] = fit.Landmarks,
            ["coefficients"] = fit.Coefficients,
            ["bias"] = bias,
            ["temperature"] = tensor(new[] { temperature }),
        });
    }
}
