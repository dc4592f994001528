namespace Graft.Tensors;

/// <summary>
/// Reuses activation and gradient buffers across steps: a slot keeps its tensor while the requested shape
/// stays the same, so a training loop in steady state allocates nothing.
/// </summary>
public sealed class TensorSlot
{
    private Tensor? _tensor;

    /// <summary>Returns this slot's tensor for <paramref name="shape"/>, allocating only when the shape changes.</summary>
    public Tensor Get(Shape shape)
    {
        if (_tensor is not null && _tensor.Shape == shape) return _tensor;
        if (_tensor is not null && _tensor.Buffer.Length >= shape.Size)
            return _tensor = new Tensor(shape, _tensor.Buffer, 0);
        return _tensor = new Tensor(shape);
    }

    public Tensor? Current => _tensor;
    public void Release() => _tensor = null;
}
