namespace Graft.Data.Transforms;

/// <summary>
/// How source coordinates map to destination pixels. <see cref="Antialiased"/> is Pillow's BILINEAR (the kernel
/// widens with the downscale factor, so shrinking averages every source pixel); the others are exact two-tap
/// bilinear interpolation with no antialiasing, as named by frameworks' preprocessing:
/// </summary>
public enum ResizeMethod
{
    /// <summary>Pillow Image.resize(BILINEAR): triangle filter with support scaled by the downscale factor.</summary>
    Antialiased,
    /// <summary>src = (dst + 0.5) · scale − 0.5: TF2 tf.image.resize(antialias=False), TF1 half_pixel_centers=True, PyTorch align_corners=False.</summary>
    HalfPixel,
    /// <summary>src = dst · (in − 1) / (out − 1): TF1 align_corners=True, PyTorch align_corners=True.</summary>
    AlignCorners,
    /// <summary>src = dst · scale: TF1 resize_bilinear defaults (align_corners=False, half_pixel_centers=False).</summary>
    Asymmetric,
}
