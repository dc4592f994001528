using Graft.Kernels;
using Graft.Layers;
using Graft.Tensors;

namespace Graft.Graph;

/// <summary>
/// One step of an <see cref="InferencePlan"/>: reads the values <see cref="Inputs"/> and writes value
/// <see cref="Output"/>. Steps that fuse several layers keep references to the original layers and read their
/// weights in <see cref="Refresh"/>; the layers themselves are never changed.
/// </summary>
internal abstract class PlanStep
{
    protected PlanStep(int[] inputs, int output, IReadOnlyList<Node> nodes)
    {
        Inputs = inputs;
        Output = output;
        Nodes = nodes;
    }

    public int[] Inputs { get; }
    public int Output { get; }
    /// <summary>The model nodes this step computes, first to last.</summary>
    public IReadOnlyList<Node> Nodes { get; }
    public abstract string Description { get; }

    /// <summary>True when the output may share the buffer of input 0 (element-wise steps).</summary>
    public virtual bool CanRunInPlace => false;

    /// <summary>True when inputs can be reordered freely (so any dying input can be the in-place one).</summary>
    public virtual bool InputsCommute => false;

    /// <summary>Recomputes whatever the step derived from the layers' weights.</summary>
    public virtual void Refresh() { }

    public abstract void Run(Tensor[] inputs, Tensor output);

    /// <summary>y = clamp(y, lo, hi) in parallel chunks; nothing for the identity clamp.</summary>
    protected static void ClampInPlace(Tensor y, (float Lo, float Hi) clamp)
    {
        if (float.IsNegativeInfinity(clamp.Lo) && float.IsPositiveInfinity(clamp.Hi)) return;
        var m = y.Memory;
        Parallelism.ForChunks(m.Length, (s, e) => TensorPrimitives.Clamp(m.Span[s..e], clamp.Lo, clamp.Hi, m.Span[s..e]), 1);
    }
}

/// <summary>A layer the plan has no fused form for, run as Model.Forward would run it (inference mode).</summary>
internal sealed class LayerStep : PlanStep
{
    private readonly Layer _layer;

    public LayerStep(Node node, int[] inputs, int output) : base(inputs, output, new[] { node }) => _layer = node.Layer;

    public override string Description => $"{_layer.ClassName} {_layer.Name} (layer call)";
    public override bool CanRunInPlace => _layer.IsElementwise;
    public override void Run(Tensor[] inputs, Tensor output) => _layer.Forward(inputs, output, training: false);
}

/// <summary>ReLU / ReLU6 / linear activation as a clamp.</summary>
internal sealed class ClampStep : PlanStep
{
    private readonly (float Lo, float Hi) _clamp;

    public ClampStep(Node node, (float, float) clamp, int[] inputs, int output) : base(inputs, output, new[] { node }) => _clamp = clamp;

    public override string Description => $"{Nodes[0].Layer.ClassName} {Nodes[0].Name} as clamp [{_clamp.Lo}, {_clamp.Hi}]";
    public override bool CanRunInPlace => true;

    public override void Run(Tensor[] inputs, Tensor output)
    {
        if (!ReferenceEquals(inputs[0].Buffer, output.Buffer) || inputs[0].Offset != output.Offset) output.CopyFrom(inputs[0]);
        ClampInPlace(output, _clamp);
    }
}

/// <summary>Add (any number of inputs), with a following ReLU fused.</summary>
internal sealed class AddStep : PlanStep
{
    private readonly (float Lo, float Hi) _clamp;

    public AddStep(IReadOnlyList<Node> nodes, (float, float) clamp, int[] inputs, int output) : base(inputs, output, nodes) => _clamp = clamp;

    public override string Description => $"Add {Nodes[0].Name}{InferencePlanFolding.ClampName(_clamp)}";
    public override bool CanRunInPlace => true;
    public override bool InputsCommute => true;

    public override void Run(Tensor[] inputs, Tensor output)
    {
        var y = output.Memory;
        var x = inputs.Select(t => (ReadOnlyMemory<float>)t.Memory).ToArray();
        var clamp = _clamp;
        bool identity = float.IsNegativeInfinity(clamp.Lo) && float.IsPositiveInfinity(clamp.Hi);
        Parallelism.ForChunks(y.Length, (s, e) =>
        {
            var ys = y.Span[s..e];
            TensorPrimitives.Add(x[0].Span[s..e], x[1].Span[s..e], ys);
            for (int i = 2; i < x.Length; i++) TensorPrimitives.Add(ys, x[i].Span[s..e], ys);
            if (!identity) TensorPrimitives.Clamp(ys, clamp.Lo, clamp.Hi, ys);
        }, 1);
    }
}

/// <summary>A BatchNorm that follows no convolution: its inference affine map, with a following clamp fused.</summary>
internal sealed class ChannelAffineStep : PlanStep
{
    private readonly BatchNormalization _bn;
    private readonly (float Lo, float Hi) _clamp;
    private float[] _scale = Array.Empty<float>(), _shift = Array.Empty<float>();

    public ChannelAffineStep(IReadOnlyList<Node> nodes, (float, float) clamp, int[] inputs, int output) : base(inputs, output, nodes)
    {
        _bn = (BatchNormalization)nodes[0].Layer;
        _clamp = clamp;
    }

    public override string Description => $"BatchNormalization {_bn.Name} as affine{InferencePlanFolding.ClampName(_clamp)}";
    public override bool CanRunInPlace => true;

    public override void Refresh() => (_scale, _shift) = InferencePlanFolding.BatchNormAffine(_bn);

    public override void Run(Tensor[] inputs, Tensor output)
    {
        BatchNorm.Affine(inputs[0].Memory, _scale, _shift, output.Memory, _scale.Length);
        ClampInPlace(output, _clamp);
    }
}
