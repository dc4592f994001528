using Graft.Data.Images;

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
}
