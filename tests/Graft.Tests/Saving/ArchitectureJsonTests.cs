using Graft.Graph;
using Graft.Kernels;
using Graft.Layers;
using Graft.Saving;
using Graft.Tensors;

namespace Graft.Tests.Saving;

public class ArchitectureJsonTests
{
    [Fact]
    public void RebuiltModelHasTheSameStructureAndFlags()
    {
        var input = LayerCalls.Input(new Shape(6), "pixels");
        var h = new Dense(4, ActivationKind.Relu, name: "hidden").Call(input);
        var a = new Activation(ActivationKind.Tanh, "squash").Call(h);
        var model = new Model(input, new Dense(3, ActivationKind.Softmax, name: "probs").Call(a), "mlp");
        model.GetLayer("hidden").Trainable = false;

        var json = ArchitectureJson.ToJson(model);
        var rebuilt = ArchitectureJson.FromJson(ArchitectureJson.Parse(json.ToJsonString(), "test"), "test");
        Assert.Equal(model.Layers.Select(l => (l.Name, l.ClassName, l.Trainable)), rebuilt.Layers.Select(l => (l.Name, l.ClassName, l.Trainable)));
        Assert.Equal(model.Parameters.Select(p => (p.FullName, p.Shape)), rebuilt.Parameters.Select(p => (p.FullName, p.Shape)));
        Assert.Equal("mlp", rebuilt.Name);
    }

    [Fact]
    public void LambdaAndUnknownLayersAreRefused()
    {
        const string doc = """{"format":"graft-architecture","layers":[{"class_name":"InputLayer","name":"in","config":{"batch_input_shape":[null,3]}},{"class_name":"Lambda","name":"evil","config":{},"inbound":["in"]}],"inputs":["in"],"outputs":["evil"]}""";
        var e = Assert.Throws<NotSupportedException>(() => ArchitectureJson.FromJson(ArchitectureJson.Parse(doc, "f.json"), "f.json"));
        Assert.Contains("evil", e.Message);
        Assert.Contains("never runs code", e.Message);
        var e2 = Assert.Throws<NotSupportedException>(() => ArchitectureJson.FromJson(ArchitectureJson.Parse(doc.Replace("Lambda", "Mystery"), "f.json"), "f.json"));
        Assert.Contains("Mystery", e2.Message);
    }

    [Fact]
    public void DanglingInputsAreReported()
    {
        const string doc = """{"format":"graft-architecture","layers":[{"class_name":"Dense","name":"d","config":{"units":2},"inbound":["ghost"]}],"inputs":[],"outputs":["d"]}""";
        var e = Assert.Throws<FormatException>(() => ArchitectureJson.FromJson(ArchitectureJson.Parse(doc, "f.json"), "f.json"));
        Assert.Contains("ghost", e.Message);
    }
}
