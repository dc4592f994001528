namespace Graft.Tensors;

/// <summary>
/// An immutable list of dimensions. Activations are NHWC; convolution weights are HWIO
/// (KH, KW, CIN, COUT) as in Keras. Layer shapes exclude the batch dimension, tensor shapes include it.
/// </summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly int[] _dims;

    public Shape(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        foreach (var d in dims)
            if (d < 0) throw new ArgumentException($"Shape dimensions must be non-negative. Received: ({string.Join(", ", dims)}).");
        _dims = (int[])dims.Clone();
        long size = 1;
        foreach (var d in _dims) size = checked(size * d);
        if (size > int.MaxValue) throw new ArgumentException($"Shape ({string.Join(", ", dims)}) has {size} elements; at most {int.MaxValue} fit in one tensor.");
        Size = (int)size;
    }

    public static Shape Scalar { get; } = new();

    public int Rank => _dims.Length;
    public int Size { get; }
    public int this[int axis] => _dims[axis < 0 ? _dims.Length + axis : axis];
    public ReadOnlySpan<int> Dims => _dims;
    public int[] ToArray() => (int[])_dims.Clone();

    /// <summary>Prepends a batch dimension: (H, W, C) becomes (N, H, W, C).</summary>
    public Shape WithBatch(int n)
    {
        var d = new int[_dims.Length + 1];
        d[0] = n;
        _dims.CopyTo(d, 1);
        return new Shape(d);
    }

    /// <summary>Drops the leading (batch) dimension.</summary>
    public Shape WithoutBatch() => new(_dims[1..]);

    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);
    public override bool Equals(object? obj) => Equals(obj as Shape);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims) h.Add(d);
        return h.ToHashCode();
    }
    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);
    public override string ToString() => "(" + string.Join(", ", _dims) + ")";
}
