using Graft.Data.Images;

namespace Graft.Data.Transforms;

/// <summary>
/// Seeded training augmentation: random resized crop (one antialiased resize from the working image straight to
/// the target size), small rotation, horizontal flip, brightness/contrast jitter. Evaluation uses
/// <see cref="None"/> (centre crop). The same <see cref="StableRandom"/> stream gives the same image.
/// </summary>
public sealed record Augmentation
{
    /// <summary>No augmentation: the loader centre-crops, as for evaluation.</summary>
    public static Augmentation None { get; } = new()
    {
        RandomResizedCrop = false, HorizontalFlip = false, MaxRotationDegrees = 0, Brightness = 0, Contrast = 0,
    };

    /// <summary>Mild defaults suited to fine-tuning a pretrained model on a small dataset.</summary>
    public static Augmentation Standard { get; } = new();

    public bool RandomResizedCrop { get; init; } = true;
    /// <summary>Crop area as a fraction of the image, drawn uniformly from [MinScale, MaxScale]
    /// (torchvision uses 0.08; 0.25 keeps enough of a small photo for a pretrained model).</summary>
    public double MinScale { get; init; } = 0.25;
    public double MaxScale { get; init; } = 1.0;
    /// <summary>Crop aspect ratio (width / height), drawn log-uniformly.</summary>
    public double MinAspect { get; init; } = 3.0 / 4;
    public double MaxAspect { get; init; } = 4.0 / 3;
    public bool HorizontalFlip { get; init; } = true;
    /// <summary>Rotation drawn uniformly from ±this many degrees; 0 disables it.</summary>
    public double MaxRotationDegrees { get; init; } = 10;
    /// <summary>Brightness factor drawn from [1 − Brightness, 1 + Brightness]; 0 disables it.</summary>
    public double Brightness { get; init; } = 0.2;
    /// <summary>Contrast factor drawn from [1 − Contrast, 1 + Contrast]; 0 disables it.</summary>
    public double Contrast { get; init; } = 0.2;

    public bool IsNone => !RandomResizedCrop && !HorizontalFlip && MaxRotationDegrees == 0 && Brightness == 0 && Contrast == 0;

    /// <summary>An augmented <paramref name="width"/> x <paramref name="height"/> view of <paramref name="source"/>.</summary>
    public RgbImage Apply(RgbImage source, int width, int height, ref StableRandom rng)
    {
        RgbImage image;
        if (RandomResizedCrop)
        {
            image = ImageResize.Resize(source, width, height, ResizeMethod.Antialiased, RandomBox(source.Width, source.Height, ref rng));
        }
        else
        {
            // An exact integer crop first: a box resize would let the filter read pixels just outside the crop.
            var centre = CenterBox(source.Width, source.Height, width, height);
            image = ImageResize.Resize(Crop.Region(source, (int)centre.X0, (int)centre.Y0, (int)centre.Width, (int)centre.Height), width, height);
        }
        if (MaxRotationDegrees > 0)
        {
            double angle = rng.NextDouble(-MaxRotationDegrees, MaxRotationDegrees);
            image = Rotation.Rotate(image, angle);
        }
        if (HorizontalFlip && rng.NextDouble() < 0.5) Flip.HorizontalInPlace(image);
        double b = Brightness > 0 ? rng.NextDouble(1 - Brightness, 1 + Brightness) : 1;
        double c = Contrast > 0 ? rng.NextDouble(1 - Contrast, 1 + Contrast) : 1;
        ColorJitter.ApplyInPlace(image, b, c);
        return image;
    }

    /// <summary>torchvision's RandomResizedCrop box: ten tries at a random area and aspect, else the centred crop of the nearest allowed aspect.</summary>
    private CropBox RandomBox(int w, int h, ref StableRandom rng)
    {
        double area = (double)w * h;
        double logMin = Math.Log(MinAspect), logMax = Math.Log(MaxAspect);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * rng.NextDouble(MinScale, MaxScale);
            double aspect = Math.Exp(rng.NextDouble(logMin, logMax));
            double cw = Math.Sqrt(target * aspect), ch = Math.Sqrt(target / aspect);
            if (cw <= w && ch <= h && cw >= 1 && ch >= 1)
            {
                double x = rng.NextDouble(0, w - cw), y = rng.NextDouble(0, h - ch);
                return new CropBox(x, y, x + cw, y + ch);
            }
        }
        double ratio = Math.Clamp((double)w / h, MinAspect, MaxAspect);
        return Crop.ToAspectRatioBox(w, h, ratio);
    }

    /// <summary>The centred crop with the target's aspect ratio, as large as the source allows.</summary>
    internal static CropBox CenterBox(int w, int h, int width, int height) =>
        Crop.ToAspectRatioBox(w, h, (double)width / height);
}
