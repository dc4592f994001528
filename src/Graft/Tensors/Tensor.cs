namespace Graft.Tensors;

/// <summary>
/// A dense float32 tensor: a shape over a window of a float array. Views (Reshape, views into an arena)
/// share the array, so a tensor is a cheap handle; the array is owned by whoever created it.
/// </summary>
public sealed class Tensor
{
    public Tensor(Shape shape) : this(shape, new float[shape.Size], 0) { }

    public Tensor(Shape shape, float[] buffer, int offset = 0)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(buffer);
        if (offset < 0 || (long)offset + shape.Size > buffer.Length)
            throw new ArgumentException($"A tensor of shape {shape} ({shape.Size} values) at offset {offset} does not fit in a buffer of {buffer.Length} values.");
        Shape = shape;
        Buffer = buffer;
        Offset = offset;
    }

    public static Tensor FromArray(float[] values, params int[] dims)
    {
        var shape = new Shape(dims);
        if (shape.Size != values.Length)
            throw new ArgumentException($"Expected {shape.Size} values for shape {shape}. Received: {values.Length}.");
        return new Tensor(shape, values);
    }

    public Shape Shape { get; }
    public float[] Buffer { get; }
    public int Offset { get; }
    public int Length => Shape.Size;
    public Span<float> Span => Buffer.AsSpan(Offset, Shape.Size);
    public Memory<float> Memory => Buffer.AsMemory(Offset, Shape.Size);

    public float this[int i]
    {
        get => Buffer[Offset + i];
        set => Buffer[Offset + i] = value;
    }

    /// <summary>A view with another shape of the same size (no copy).</summary>
    public Tensor Reshape(Shape shape)
    {
        if (shape.Size != Shape.Size)
            throw new ArgumentException($"Cannot reshape {Shape} ({Shape.Size} values) to {shape} ({shape.Size} values).");
        return new Tensor(shape, Buffer, Offset);
    }

    public Tensor Reshape(params int[] dims) => Reshape(new Shape(dims));

    /// <summary>A view of batch items [start, start + count) along axis 0 (no copy).</summary>
    public Tensor SliceBatch(int start, int count)
    {
        int per = Shape[0] == 0 ? 0 : Shape.Size / Shape[0];
        var dims = Shape.ToArray();
        dims[0] = count;
        return new Tensor(new Shape(dims), Buffer, Offset + start * per);
    }

    public Tensor Clone()
    {
        var t = new Tensor(Shape);
        Span.CopyTo(t.Span);
        return t;
    }

    public void CopyFrom(Tensor other)
    {
        if (other.Length != Length)
            throw new ArgumentException($"Cannot copy a tensor of shape {other.Shape} into one of shape {Shape}.");
        other.Span.CopyTo(Span);
    }

    public void Clear() => Span.Clear();
    public float[] ToArray() => Span.ToArray();
    public override string ToString() => $"Tensor{Shape}";
}
