#:project ../../Models/MlToolkit.Models.csproj
// Run by TorchRuntimeHostingTests as a .NET file-based app, the way notebooks and scripts use the toolkit:
// load the native runtime through MlToolkit, train a linear layer and print the loss ratio, then train an MLP
// pipeline on the digits sample and round-trip it through a model file (file-based apps disable
// reflection-based JSON by default, which the model file must not depend on).
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlToolkit.Data.Samples;
using MlToolkit.Trainers.Torch.Runtime;
using MlToolkit.Trainers.Torch;
using MlToolkit.Trainers.Torch.Mlp;
using MlToolkit.Models.Persistence;
using TorchSharp;

var info = TorchRuntime.EnsureLoaded();
torch.manual_seed(3);
var x = torch.rand(128, 3);
var y = x.matmul(torch.tensor(new float[] { 1f, -2f, 0.5f }).unsqueeze(1)) + 0.25f;
var layer = torch.nn.Linear(3, 1);
var optimizer = torch.optim.Adam(layer.parameters(), 0.1);
float first = 0, last = 0;
for (var step = 0; step < 300; step++)
{
    optimizer.zero_grad();
    var loss = torch.nn.functional.mse_loss(layer.forward(x), y);
    loss.backward();
    optimizer.step();
    last = loss.item<float>();
    if (step == 0)
        first = last;
}

var ml = new MLContext(seed: 1);
var digits = SampleDatasets.Digits(ml);
var model = ml.Transforms.Concatenate("Features", digits.Schema.Where(c => c.Name != "label").Select(c => c.Name).ToArray())
    .Append(ml.Transforms.NormalizeMinMax("Features"))
    .Append(ml.Transforms.Conversion.MapValueToKey("Label", "label"))
    .Append(ml.MulticlassClassification.Trainers.Mlp(new MlpTrainer.Options { Epochs = 3 }))
    .Fit(digits);
var path = Path.Combine(Path.GetTempPath(), $"mltoolkit-smoke-{Environment.ProcessId}.zip");
ml.Model.SavePipeline(model, digits.Schema, path);
var loaded = ml.Model.LoadPipeline(path, out _);
File.Delete(path);
var before = model.Transform(digits).GetColumn<uint>("PredictedLabel").ToArray();
var after = loaded.Transform(digits).GetColumn<uint>("PredictedLabel").ToArray();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"patched={info.Patched} ratio={first / last:0.0} roundtrip={before.SequenceEqual(after)}"));
