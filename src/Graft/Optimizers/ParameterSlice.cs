namespace Graft.Optimizers;

/// <summary>
/// A contiguous run of the arena that one update call covers: weights, their gradients and the optimizer's
/// per-weight state (slots) over the same range. Runs span several parameters where they are adjacent, share
/// a group and are trainable, so an all-trainable model updates in one loop.
/// </summary>
public readonly ref struct ParameterSlice
{
    private readonly float[][] _slots;
    private readonly int _offset;

    internal ParameterSlice(Span<float> values, ReadOnlySpan<float> grads, float[][] slots, int offset)
    {
        Values = values;
        Grads = grads;
        _slots = slots;
        _offset = offset;
    }

    public Span<float> Values { get; }
    public ReadOnlySpan<float> Grads { get; }
    public int Length => Values.Length;

    /// <summary>The optimizer state named by slot <paramref name="index"/> (in the order given to the base constructor).</summary>
    public Span<float> Slot(int index) => _slots[index].AsSpan(_offset, Values.Length);
}
