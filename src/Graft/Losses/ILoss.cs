using Graft.Tensors;

namespace Graft.Losses;

/// <summary>
/// A loss over a model output and integer labels, reduced as Keras's "sum_over_batch_size": the sum of
/// (weighted) per-row losses divided by the number of rows, whatever the weights. Returns that mean and, when
/// <c>outputGrad</c> is given, overwrites it with dL/d(output) without allocating.
/// </summary>
public interface ILoss
{
    float Compute(Tensor output, ReadOnlySpan<int> labels, Tensor? outputGrad = null);
}
