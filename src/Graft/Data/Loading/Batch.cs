using Graft.Tensors;

namespace Graft.Data.Loading;

/// <summary>
/// One batch: images (N, H, W, 3) float32 after preprocessing, and their labels. Disposing hands the buffer back
/// to the loader for reuse (optional: an undisposed batch is simply collected).
/// </summary>
public sealed class Batch : IDisposable
{
    private Action<float[]>? _return;

    internal Batch(Tensor images, int[] labels, int[] sampleIndices, Action<float[]>? returnBuffer)
    {
        Images = images;
        Labels = labels;
        SampleIndices = sampleIndices;
        _return = returnBuffer;
    }

    public Tensor Images { get; }
    public int[] Labels { get; }

    /// <summary>Indices into the dataset's samples, in batch order.</summary>
    public int[] SampleIndices { get; }

    public int Count => Labels.Length;

    public void Dispose()
    {
        var r = Interlocked.Exchange(ref _return, null);
        r?.Invoke(Images.Buffer);
    }
}
