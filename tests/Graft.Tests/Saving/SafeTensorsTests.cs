using System.Buffers.Binary;
using System.Text;
using Graft.Saving;

namespace Graft.Tests.Saving;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graft-st-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void RoundTripsTensorsAndMetadata()
    {
        var path = Path.Combine(_dir, "w.safetensors");
        SafeTensorsFile.Write(path, new[]
        {
            new SafeTensorsFile.Entry("a/kernel", new[] { 2, 3 }, new float[] { 1, 2, 3, 4, 5, float.NaN }),
            new SafeTensorsFile.Entry("b", new[] { 0 }, Array.Empty<float>()),
        }, new Dictionary<string, string> { ["k"] = "v" });
        var (tensors, meta) = SafeTensorsFile.Read(path);
        Assert.Equal("v", meta["k"]);
        Assert.Equal(new[] { 2, 3 }, tensors[0].Shape);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, float.NaN }, tensors[0].Data);
        Assert.Empty(tensors[1].Data);
        Assert.Equal(0, (new FileInfo(path).Length - 8 - 6 * 4) % 8);
    }

    [Fact]
    public void ReadsHalfPrecision()
    {
        var header = Encoding.UTF8.GetBytes("{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}");
        var bytes = new byte[8 + header.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8 + header.Length), BitConverter.HalfToUInt16Bits((Half)1.5f));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(10 + header.Length), BitConverter.HalfToUInt16Bits((Half)(-2f)));
        var path = Path.Combine(_dir, "h.safetensors");
        File.WriteAllBytes(path, bytes);
        Assert.Equal(new[] { 1.5f, -2f }, SafeTensorsFile.Read(path).Tensors[0].Data);
    }

    [Theory]
    [InlineData("truncated-data")]
    [InlineData("huge-header")]
    [InlineData("offsets-past-end")]
    [InlineData("not-json")]
    [InlineData("short")]
    public void CorruptFilesAreRefusedNamingTheFile(string kind)
    {
        var path = Path.Combine(_dir, kind + ".safetensors");
        SafeTensorsFile.Write(path, new[] { new SafeTensorsFile.Entry("w", new[] { 4 }, new float[] { 1, 2, 3, 4 }) });
        var bytes = File.ReadAllBytes(path);
        switch (kind)
        {
            case "truncated-data": bytes = bytes[..^3]; break;
            case "huge-header": BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue / 2); break;
            case "offsets-past-end":
                var text = Encoding.UTF8.GetString(bytes).Replace("[0,16]", "[0,99]");
                bytes = Encoding.UTF8.GetBytes(text);
                break;
            case "not-json": bytes[9] = (byte)'#'; break;
            case "short": bytes = bytes[..5]; break;
        }
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void AFailedWriteLeavesTheOldFileAndNoTemporary()
    {
        var path = Path.Combine(_dir, "keep.bin");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s => { s.WriteByte(1); throw new InvalidOperationException("boom"); }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_dir));
    }
}
