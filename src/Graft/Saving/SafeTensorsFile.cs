using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Graft.Saving;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor name to
/// {dtype, shape, data_offsets}, optional "__metadata__" strings, then the raw little-endian data.
/// Graft writes F32 only and reads F32, F16 and BF16. Reading checks every offset against the file's real
/// length before allocating, so a corrupt header cannot make Graft allocate more than the file holds.
/// </summary>
public static class SafeTensorsFile
{
    private const long MaxHeaderBytes = 100L << 20;

    public sealed record Entry(string Name, int[] Shape, float[] Data);

    public static void Write(string path, IEnumerable<Entry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        long offset = 0;
        foreach (var t in list)
        {
            long bytes = (long)t.Data.Length * 4;
            header[t.Name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8; // the data section starts 8-byte aligned
        AtomicFile.Write(path, stream =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
            stream.Write(len);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var t in list)
                stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Data.AsSpan()));
        });
    }

    public static (IReadOnlyList<Entry> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        using var stream = File.OpenRead(path);
        long fileLength = stream.Length;
        Span<byte> len = stackalloc byte[8];
        if (stream.ReadAtLeast(len, 8, throwOnEndOfStream: false) < 8)
            throw new SafeTensorsFormatException(path, "the file is shorter than its 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (headerLength > (ulong)Math.Min(MaxHeaderBytes, fileLength - 8))
            throw new SafeTensorsFormatException(path, $"the header claims {headerLength} bytes but the file has {fileLength - 8} after the length field");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        JsonObject header;
        try
        {
            header = JsonNode.Parse(headerBytes, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) as JsonObject
                ?? throw new SafeTensorsFormatException(path, "the header is not a JSON object");
        }
        catch (JsonException e) { throw new SafeTensorsFormatException(path, "the header is not valid JSON: " + e.Message); }

        long dataStart = 8 + (long)headerLength, dataLength = fileLength - dataStart;
        var metadata = new Dictionary<string, string>();
        var entries = new List<(string Name, int[] Shape, string DType, long Begin, long End)>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                if (node is JsonObject m)
                    foreach (var (k, v) in m) metadata[k] = v?.GetValue<string>() ?? "";
                continue;
            }
            if (node is not JsonObject o || o["dtype"] is not JsonValue dt || o["shape"] is not JsonArray sh || o["data_offsets"] is not JsonArray off || off.Count != 2)
                throw new SafeTensorsFormatException(path, $"tensor '{name}' lacks dtype, shape or data_offsets");
            int[] shape;
            long begin, end;
            try
            {
                shape = sh.Select(d => d!.GetValue<int>()).ToArray();
                begin = off[0]!.GetValue<long>();
                end = off[1]!.GetValue<long>();
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            {
                throw new SafeTensorsFormatException(path, $"tensor '{name}' has a malformed shape or offsets");
            }
            string dtype = dt.GetValue<string>();
            int width = dtype switch { "F32" => 4, "F16" or "BF16" => 2, _ => throw new SafeTensorsFormatException(path, $"tensor '{name}' has dtype {dtype}; Graft reads F32, F16 and BF16") };
            long count = 1;
            foreach (var d in shape)
            {
                if (d < 0) throw new SafeTensorsFormatException(path, $"tensor '{name}' has a negative dimension");
                count *= d;
                if (count > int.MaxValue) throw new SafeTensorsFormatException(path, $"tensor '{name}' is too large");
            }
            if (begin < 0 || end < begin || end > dataLength || end - begin != count * width)
                throw new SafeTensorsFormatException(path, $"tensor '{name}' claims bytes [{begin}, {end}) for {count} values of {dtype}, but the data section has {dataLength} bytes");
            entries.Add((name, shape, dtype, begin, end));
        }

        var result = new List<Entry>(entries.Count);
        foreach (var e in entries)
        {
            stream.Position = dataStart + e.Begin;
            var raw = new byte[e.End - e.Begin];
            stream.ReadExactly(raw);
            var data = new float[e.DType == "F32" ? raw.Length / 4 : raw.Length / 2];
            if (e.DType == "F32")
                for (int i = 0; i < data.Length; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4));
            else if (e.DType == "F16")
                for (int i = 0; i < data.Length; i++) data[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(i * 2)));
            else
                for (int i = 0; i < data.Length; i++) data[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(i * 2)) << 16);
            result.Add(new Entry(e.Name, e.Shape, data));
        }
        return (result, metadata);
    }
}

public sealed class SafeTensorsFormatException : FormatException
{
    public SafeTensorsFormatException(string path, string reason) : base($"{path}: not a valid safetensors file: {reason}.")
    {
        FilePath = path;
        Reason = reason;
    }

    public string FilePath { get; }
    public string Reason { get; }
}
