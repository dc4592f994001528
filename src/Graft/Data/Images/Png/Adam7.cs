namespace Graft.Data.Images.Png;

/// <summary>The seven Adam7 interlace passes: where each starts and how far it steps, in x and y.</summary>
internal static class Adam7
{
    public static ReadOnlySpan<int> StartX => [0, 4, 0, 2, 0, 1, 0];
    public static ReadOnlySpan<int> StartY => [0, 0, 4, 0, 2, 0, 1];
    public static ReadOnlySpan<int> StepX => [8, 8, 4, 4, 2, 2, 1];
    public static ReadOnlySpan<int> StepY => [8, 8, 8, 4, 4, 2, 2];

    /// <summary>Width and height of pass <paramref name="pass"/> (0 when the pass is empty).</summary>
    public static (int Width, int Height) PassSize(int pass, int width, int height)
    {
        int w = width <= StartX[pass] ? 0 : (width - StartX[pass] + StepX[pass] - 1) / StepX[pass];
        int h = height <= StartY[pass] ? 0 : (height - StartY[pass] + StepY[pass] - 1) / StepY[pass];
        return w == 0 || h == 0 ? (0, 0) : (w, h);
    }
}
