namespace Graft.Tests.Data.Support;

/// <summary>A temporary folder tree of small, distinct PNG files for dataset and loader tests; deleted on dispose.</summary>
public sealed class TempDataset : IDisposable
{
    private int _counter;

    public TempDataset()
    {
        Root = Path.Combine(Path.GetTempPath(), "graft-ds-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Writes <paramref name="count"/> distinct w x h images into Root/<paramref name="relativeFolder"/>.</summary>
    public TempDataset Images(string relativeFolder, int count, int width = 12, int height = 10)
    {
        for (int i = 0; i < count; i++) Image(Path.Combine(relativeFolder, $"img_{i:D3}.png"), width, height);
        return this;
    }

    /// <summary>Writes one distinct image (its colour encodes a running counter) and returns its full path.</summary>
    public string Image(string relativePath, int width = 12, int height = 10)
    {
        int id = ++_counter;
        var bytes = new PngBuilder().Header((uint)width, (uint)height)
            .Data(PngBuilder.RgbScanlines(width, height, (x, y) => ((byte)id, (byte)(id >> 8), (byte)(x * 16 + y))))
            .End().ToArray();
        return Write(relativePath, bytes);
    }

    public string Write(string relativePath, byte[] bytes)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
