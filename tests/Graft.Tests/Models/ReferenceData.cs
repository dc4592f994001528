using System.Text.Json.Nodes;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Models;

/// <summary>Reads ../shared/reference/&lt;model&gt;: reference.json and the exact float32 inputs TensorFlow.js was fed.</summary>
public sealed class ReferenceData
{
    public ReferenceData(string model)
    {
        Folder = SharedData.PathTo("reference", model);
        Json = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "reference.json")))!;
        var inputs = Json["inputs"]!;
        var shape = inputs["shape"]!.AsArray().Select(d => d!.GetValue<int>()).ToArray();
        Inputs = new Tensor(new Shape(shape), ReadFloats(Path.Combine(Folder, inputs["file"]!.GetValue<string>())));
    }

    public string Folder { get; }
    public JsonNode Json { get; }
    public Tensor Inputs { get; }
    public JsonArray Images => Json["images"]!.AsArray();

    public float[] Vector(int image, string key) => Images[image]![key]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();

    public static float[] ReadFloats(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    /// <summary>Largest absolute difference, and where it is.</summary>
    public static (float Max, int At) MaxDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(b.Length, a.Length);
        float max = 0; int at = -1;
        for (int i = 0; i < a.Length; i++)
        {
            float d = Math.Abs(a[i] - b[i]);
            if (!(d <= max)) { max = d; at = i; }
        }
        return (max, at);
    }

    public static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
