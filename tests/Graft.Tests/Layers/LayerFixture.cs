using System.Text.Json.Nodes;
using Graft.Tensors;
using Graft.Tests.Support;

namespace Graft.Tests.Layers;

/// <summary>One reference case written by Fixtures/layers/make_fixtures.py (torch): named float arrays and settings.</summary>
public sealed class LayerFixture
{
    private readonly JsonObject _json;

    private LayerFixture(string name, JsonObject json)
    {
        Name = name;
        _json = json;
    }

    public string Name { get; }

    public static LayerFixture Load(string name)
    {
        var path = SharedData.Fixture("layers", name + ".json");
        if (!File.Exists(path))
            throw new FileNotFoundException($"Fixture {path} is missing. Hint: run tests/Graft.Tests/Fixtures/layers/make_fixtures.py.");
        return new LayerFixture(name, (JsonObject)JsonNode.Parse(File.ReadAllText(path))!);
    }

    public int Int(string key) => _json[key]!.GetValue<int>();
    public float Float(string key) => (float)_json[key]!.GetValue<double>();
    public string String(string key) => _json[key]!.GetValue<string>();
    public int[] Ints(string key) => _json[key]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
    public float[] Floats(string key) => _json[key]!.AsArray().Select(v => (float)v!.GetValue<double>()).ToArray();
    public Tensor Tensor(string key, int[] dims) => Graft.Tensors.Tensor.FromArray(Floats(key), dims);

    /// <summary>Fails with the first differing values and the largest difference, as llm.c's tests print them.</summary>
    public void AssertClose(string what, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float atol = 1e-5f, float rtol = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxDiff = 0;
        var bad = new List<string>();
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs(expected[i] - actual[i]);
            maxDiff = Math.Max(maxDiff, d);
            if (!(d <= atol + rtol * Math.Abs(expected[i])) && bad.Count < 8)
                bad.Add($"  [{i}] expected {expected[i]:G9}, got {actual[i]:G9}");
        }
        if (bad.Count > 0)
            throw new Xunit.Sdk.XunitException($"{Name}: {what} differs from torch (max |diff| {maxDiff:G3}):\n" + string.Join("\n", bad));
    }
}
