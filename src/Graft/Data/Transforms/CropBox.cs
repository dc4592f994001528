namespace Graft.Data.Transforms;

/// <summary>A source rectangle in pixel-edge coordinates (X0, Y0 inclusive, X1, Y1 exclusive); fractions allowed.</summary>
public readonly record struct CropBox(double X0, double Y0, double X1, double Y1)
{
    public double Width => X1 - X0;
    public double Height => Y1 - Y0;
    public static CropBox Of(int width, int height) => new(0, 0, width, height);
}
