using Graft.Data.Images;
using Graft.Tensors;

namespace Graft.Data.Transforms;

public static class Flip
{
    /// <summary>Mirrors left-right in place.</summary>
    public static void HorizontalInPlace(RgbImage image)
    {
        for (int y = 0; y < image.Height; y++)
        {
            var row = image.Row(y);
            for (int l = 0, r = (image.Width - 1) * 3; l < r; l += 3, r -= 3)
            {
                (row[l], row[r]) = (row[r], row[l]);
                (row[l + 1], row[r + 1]) = (row[r + 1], row[l + 1]);
                (row[l + 2], row[r + 2]) = (row[r + 2], row[l + 2]);
            }
        }
    }

    /// <summary>Mirrors every image of an NHWC batch left-right in place. Preprocessing is per pixel, so this equals
    /// preprocessing the mirrored images.</summary>
    public static void HorizontalInPlace(Tensor batch)
    {
        if (batch.Shape.Rank != 4) throw new ArgumentException($"Expected an NHWC batch. Received shape {batch.Shape}.");
        int n = batch.Shape[0], h = batch.Shape[1], w = batch.Shape[2], c = batch.Shape[3];
        var span = batch.Span;
        Span<float> pixel = stackalloc float[Math.Min(c, 64)];
        for (int r = 0; r < n * h; r++)
        {
            var row = span.Slice(r * w * c, w * c);
            for (int l = 0, q = w - 1; l < q; l++, q--)
            {
                if (c <= 64)
                {
                    var a = row.Slice(l * c, c);
                    var b = row.Slice(q * c, c);
                    a.CopyTo(pixel);
                    b.CopyTo(a);
                    pixel[..c].CopyTo(b);
                }
                else
                    for (int k = 0; k < c; k++) (row[l * c + k], row[q * c + k]) = (row[q * c + k], row[l * c + k]);
            }
        }
    }
}
