#:project ../../Trainers/MlToolkit.Trainers.csproj
// Run by TorchRuntimeScriptTests as a .NET file-based app, the way notebooks and scripts use the toolkit:
// load the native runtime through MlToolkit, then train a linear layer and print the loss ratio.
using System.Globalization;
using MlToolkit.Trainers.Native;
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
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"patched={info.Patched} ratio={first / last:0.0}"));
