using MlToolkit.Trainers.Torch.Training;
using static TorchSharp.torch;

namespace MlToolkit.Trainers.Torch.Architectures;

/// <summary>Pooling of [batch, time, width] states under a [batch, time] mask of real positions.</summary>
internal static class Pooling
{
    public static Tensor Apply(Tensor states, Tensor mask, SequencePooling pooling)
    {
        switch (pooling)
        {
            case SequencePooling.First:
                return states.select(1, 0);
            case SequencePooling.Last:
                var last = mask.sum(1).Plus(-1).AtLeast(0).to_type(ScalarType.Int64);
                var index = last.view(-1, 1, 1).expand(-1, 1, states.shape[2]);
                return states.gather(1, index).squeeze(1);
            default:
                var weights = mask.unsqueeze(2).to_type(states.dtype);
                return (states * weights).sum(1) / weights.sum(1).AtLeast(1);
        }
    }
}
