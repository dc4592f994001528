using Graft.Layers;

namespace Graft.Graph;

/// <summary>
/// Turns a model's nodes into plan steps, fusing chains that the kernels can run in one pass:
/// [ZeroPadding2D →] Conv2D [→ BatchNorm] [→ ReLU/ReLU6] or [→ Add of an earlier value [→ ReLU]], the same for
/// DepthwiseConv2D (without the Add), BatchNorm [→ ReLU] and Add [→ ReLU]. A layer joins a chain only when the
/// value before it has no other reader and is not a model output, so no intermediate anyone can see is skipped.
/// Everything else becomes a call to the layer itself.
/// </summary>
internal sealed class InferencePlanCompiler
{
    private readonly Model _model;
    private readonly Dictionary<Node, List<Node>> _consumers = new();
    private readonly HashSet<Node> _outputs;
    private readonly Dictionary<Node, int> _value = new();
    private readonly HashSet<Node> _absorbed = new();
    private readonly List<PlanStep> _steps = new();
    private readonly List<Tensors.Shape> _valueShapes = new();

    private InferencePlanCompiler(Model model)
    {
        _model = model;
        _outputs = model.Outputs.ToHashSet();
        foreach (var n in model.Nodes)
            foreach (var i in n.Inputs)
            {
                if (!_consumers.TryGetValue(i, out var list)) _consumers[i] = list = new List<Node>();
                if (!list.Contains(n)) list.Add(n);
            }
    }

    public static (List<PlanStep> Steps, List<Tensors.Shape> ValueShapes, int[] InputValues, int[] OutputValues) Compile(Model model)
    {
        var c = new InferencePlanCompiler(model);
        foreach (var input in model.Inputs) c.NewValue(input);
        foreach (var node in model.Nodes)
        {
            if (node.Layer is InputLayer || c._absorbed.Contains(node) || c._value.ContainsKey(node)) continue;
            c.Plan(node);
        }
        return (c._steps, c._valueShapes, model.Inputs.Select(i => c._value[i]).ToArray(), model.Outputs.Select(o => c._value[o]).ToArray());
    }

    private int NewValue(Node node)
    {
        _value[node] = _valueShapes.Count;
        _valueShapes.Add(node.Shape);
        return _valueShapes.Count - 1;
    }

    /// <summary>The single reader of <paramref name="node"/> when the node's value is private to it.</summary>
    private Node? Sole(Node node) =>
        !_outputs.Contains(node) && _consumers.TryGetValue(node, out var list) && list.Count == 1 && list[0].Inputs.Count(i => i == node) == 1 ? list[0] : null;

    private void Plan(Node node)
    {
        switch (node.Layer)
        {
            case ZeroPadding2D when Sole(node) is { } next && IsFusedConvolution(next):
                _absorbed.Add(node); // planned with its convolution
                return;
            case Conv2D conv when InferencePlanFolding.AsClamp(conv.Activation) is { } own:
                PlanConv(node, conv, own);
                return;
            case DepthwiseConv2D dw when InferencePlanFolding.AsClamp(dw.Activation) is { } own:
                PlanDepthwise(node, dw, own);
                return;
            case BatchNormalization:
            {
                var chain = new List<Node> { node };
                var clamp = FollowClamp(chain);
                Emit(new ChannelAffineStep(chain, clamp, Inputs(node), NewValue(chain[^1])), chain);
                return;
            }
            case Add:
            {
                var chain = new List<Node> { node };
                var clamp = FollowClamp(chain);
                Emit(new AddStep(chain, clamp, Inputs(node), NewValue(chain[^1])), chain);
                return;
            }
            default:
                if (InferencePlanFolding.AsClamp(node.Layer) is { } c)
                {
                    Emit(new ClampStep(node, c, Inputs(node), NewValue(node)), new List<Node> { node });
                    return;
                }
                Emit(new LayerStep(node, Inputs(node), NewValue(node)), new List<Node> { node });
                return;
        }
    }

    private void PlanConv(Node node, Conv2D conv, (float, float) own)
    {
        var (input, pad) = Unpad(node);
        var chain = pad is null ? new List<Node> { node } : new List<Node> { node.Inputs[0], node };
        bool linear = conv.Activation == Kernels.ActivationKind.Linear;
        var bn = linear ? FollowBatchNorm(chain) : null;
        var clamp = linear ? FollowClamp(chain) : own;
        var inputs = new List<int> { _value[input] };
        bool residual = false;
        if (linear && IsIdentity(clamp) && Sole(chain[^1]) is { Layer: Add, Inputs.Count: 2 } add)
        {
            var other = add.Inputs[0] == chain[^1] ? add.Inputs[1] : add.Inputs[0];
            if (_value.TryGetValue(other, out int otherValue) && other.Shape == chain[^1].Shape)
            {
                chain.Add(add);
                inputs.Add(otherValue);
                residual = true;
                clamp = FollowClamp(chain);
            }
        }
        Emit(new ConvStep(chain, conv, pad, bn, clamp, residual, inputs.ToArray(), NewValue(chain[^1])), chain);
    }

    private void PlanDepthwise(Node node, DepthwiseConv2D dw, (float, float) own)
    {
        var (input, pad) = Unpad(node);
        var chain = pad is null ? new List<Node> { node } : new List<Node> { node.Inputs[0], node };
        bool linear = dw.Activation == Kernels.ActivationKind.Linear;
        var bn = linear ? FollowBatchNorm(chain) : null;
        var clamp = linear ? FollowClamp(chain) : own;
        Emit(new DepthwiseStep(chain, dw, pad, bn, clamp, new[] { _value[input] }, NewValue(chain[^1])), chain);
    }

    /// <summary>The convolution's real input, skipping a ZeroPadding2D that was absorbed for it.</summary>
    private (Node Input, ZeroPadding2D? Pad) Unpad(Node node)
    {
        var input = node.Inputs[0];
        return _absorbed.Contains(input) && input.Layer is ZeroPadding2D pad ? (input.Inputs[0], pad) : (input, null);
    }

    private BatchNormalization? FollowBatchNorm(List<Node> chain)
    {
        if (Sole(chain[^1]) is not { Layer: BatchNormalization bn } next) return null;
        chain.Add(next);
        return bn;
    }

    private (float Lo, float Hi) FollowClamp(List<Node> chain)
    {
        if (Sole(chain[^1]) is { } next && InferencePlanFolding.AsClamp(next.Layer) is { } clamp)
        {
            chain.Add(next);
            return clamp;
        }
        return (float.NegativeInfinity, float.PositiveInfinity);
    }

    private static bool IsFusedConvolution(Node node) => node.Layer switch
    {
        Conv2D c => InferencePlanFolding.AsClamp(c.Activation) is not null,
        DepthwiseConv2D d => InferencePlanFolding.AsClamp(d.Activation) is not null,
        _ => false,
    };

    private static bool IsIdentity((float Lo, float Hi) c) => float.IsNegativeInfinity(c.Lo) && float.IsPositiveInfinity(c.Hi);

    private int[] Inputs(Node node) => node.Inputs.Select(i => _value[i]).ToArray();

    private void Emit(PlanStep step, List<Node> chain)
    {
        for (int i = 0; i < chain.Count - 1; i++) _absorbed.Add(chain[i]);
        _steps.Add(step);
    }
}
