using Graft.Layers;
using Graft.Tensors;

namespace Graft.Graph;

/// <summary>
/// A network as a DAG of named layers (Keras's functional model). Forward runs the layers in topological
/// order; backward runs them in reverse and stops below the lowest trainable layer, since nothing there
/// needs a gradient. A model is not thread-safe: run one forward/backward at a time.
/// </summary>
public class Model
{
    private readonly Node[] _order;
    private readonly Dictionary<Node, int> _index;
    private readonly int[][] _inputIndices;
    private readonly Tensor[][] _inputArgs;
    private readonly TensorSlot[] _outputs;
    private readonly TensorSlot[] _grads;
    private readonly TensorSlot[][] _edgeScratch;
    private readonly bool[] _gradSet;
    private readonly Tensor?[] _values;
    private readonly Dictionary<string, Node> _byName = new(StringComparer.Ordinal);

    public Model(Node input, Node output, string? name = null) : this(new[] { input }, new[] { output }, name) { }

    public Model(IReadOnlyList<Node> inputs, IReadOnlyList<Node> outputs, string? name = null)
    {
        if (inputs.Count == 0 || outputs.Count == 0) throw new ArgumentException("A model needs at least one input and one output node.");
        foreach (var i in inputs)
            if (i.Layer is not InputLayer)
                throw new ArgumentException($"Model input '{i.Name}' is a {i.Layer.ClassName} node; inputs must be made with LayerCalls.Input (an InputLayer).");
        Name = name ?? "model";
        Inputs = inputs.ToArray();
        Outputs = outputs.ToArray();

        var order = new List<Node>();
        var state = new Dictionary<Node, int>(); // 1 = visiting, 2 = done
        foreach (var o in Outputs) Visit(o, state, order);
        _order = order.ToArray();
        _index = new Dictionary<Node, int>();
        for (int i = 0; i < _order.Length; i++) _index[_order[i]] = i;

        var seenLayers = new HashSet<Layer>();
        foreach (var n in _order)
        {
            if (!seenLayers.Add(n.Layer))
                throw new ArgumentException($"Layer '{n.Name}' is used twice in model '{Name}'; Graft needs one node per layer (share weights by copying them).");
            if (!_byName.TryAdd(n.Name, n))
                throw new ArgumentException($"Model '{Name}' has two layers named '{n.Name}'; layer names must be unique.");
            if (n.Layer is InputLayer && !Inputs.Contains(n))
                throw new ArgumentException($"Output depends on input '{n.Name}', which is not among the model's inputs.");
        }

        _inputIndices = _order.Select(n => n.Inputs.Select(i => _index[i]).ToArray()).ToArray();
        _inputArgs = _order.Select(n => new Tensor[n.Inputs.Count]).ToArray();
        _outputs = _order.Select(_ => new TensorSlot()).ToArray();
        _grads = _order.Select(_ => new TensorSlot()).ToArray();
        _edgeScratch = _order.Select(n => n.Inputs.Select(_ => new TensorSlot()).ToArray()).ToArray();
        _gradSet = new bool[_order.Length];
        _values = new Tensor?[_order.Length];
    }

    private static void Visit(Node n, Dictionary<Node, int> state, List<Node> order)
    {
        // Iterative DFS: imported networks can be hundreds of layers deep.
        var stack = new Stack<(Node Node, int Next)>();
        if (state.TryGetValue(n, out var s0) && s0 == 2) return;
        stack.Push((n, 0));
        state[n] = 1;
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < node.Inputs.Count)
            {
                stack.Push((node, next + 1));
                var child = node.Inputs[next];
                if (state.TryGetValue(child, out var cs))
                {
                    if (cs == 1) throw new ArgumentException($"The graph has a cycle through layer '{child.Name}'.");
                    continue;
                }
                state[child] = 1;
                stack.Push((child, 0));
            }
            else
            {
                state[node] = 2;
                order.Add(node);
            }
        }
    }

    public string Name { get; }
    public IReadOnlyList<Node> Inputs { get; }
    public IReadOnlyList<Node> Outputs { get; }
    /// <summary>Nodes in topological order (inputs first).</summary>
    public IReadOnlyList<Node> Nodes => _order;
    public IEnumerable<Layer> Layers => _order.Select(n => n.Layer);

    public Layer GetLayer(string name) => GetNode(name).Layer;

    public Node GetNode(string name) => _byName.TryGetValue(name, out var n) ? n
        : throw new KeyNotFoundException($"Model '{Name}' has no layer named '{name}'. Hint: `graft inspect` lists the layer names.");

    public bool HasLayer(string name) => _byName.ContainsKey(name);

    /// <summary>All weights in topological order, with stable hierarchical names.</summary>
    public IEnumerable<Parameter> Parameters => _order.SelectMany(n => n.Layer.Parameters);
    public IEnumerable<Parameter> TrainableParameters => Parameters.Where(p => p.Trainable);

    /// <summary>A new model from the same inputs to the named layer's output, sharing layers and weights.</summary>
    public Model Cut(string layerName) => new(Inputs, new[] { GetNode(layerName) }, Name);

    /// <summary>Runs the model. The returned tensors belong to the model and are overwritten by the next call.</summary>
    public Tensor[] Forward(Tensor[] inputs, bool training = false)
    {
        if (inputs.Length != Inputs.Count)
            throw new ArgumentException($"Model '{Name}' takes {Inputs.Count} input(s). Received: {inputs.Length}.");
        int batch = -1;
        for (int i = 0; i < inputs.Length; i++)
        {
            var expect = Inputs[i].Shape;
            var got = inputs[i].Shape;
            if (got.Rank != expect.Rank + 1 || !got.Dims[1..].SequenceEqual(expect.Dims) || (batch >= 0 && got[0] != batch))
                throw new ShapeMismatchException(Inputs[i].Name, expect.WithBatch(batch < 0 ? 1 : batch).ToString().Replace("(1,", "(N,"), got.ToString(),
                    "images must be resized to the model's input size and batched as NHWC float32.");
            batch = got[0];
            _values[_index[Inputs[i]]] = inputs[i];
        }
        for (int k = 0; k < _order.Length; k++)
        {
            var node = _order[k];
            if (node.Layer is InputLayer) continue;
            var args = _inputArgs[k];
            var idx = _inputIndices[k];
            for (int j = 0; j < idx.Length; j++) args[j] = _values[idx[j]]!;
            var output = _outputs[k].Get(node.Shape.WithBatch(batch));
            node.Layer.Forward(args, output, training);
            _values[k] = output;
        }
        return Outputs.Select(o => _values[_index[o]]!).ToArray();
    }

    public Tensor Forward(Tensor input, bool training = false) => Forward(new[] { input }, training)[0];

    /// <summary>
    /// Back-propagates dL/d(outputs) from the latest forward call: adds weight gradients into every trainable
    /// parameter's <see cref="Parameter.Grad"/>. Layers below the lowest trainable layer are not visited.
    /// </summary>
    public void Backward(params Tensor[] outputGrads)
    {
        if (outputGrads.Length != Outputs.Count)
            throw new ArgumentException($"Model '{Name}' has {Outputs.Count} output(s); {outputGrads.Length} gradient(s) given.");
        var requires = new bool[_order.Length];
        for (int k = 0; k < _order.Length; k++)
        {
            bool r = _order[k].Layer.Parameters.Any(p => p.Trainable);
            foreach (var i in _inputIndices[k]) r |= requires[i];
            requires[k] = r;
        }
        Array.Clear(_gradSet);
        for (int o = 0; o < Outputs.Count; o++)
        {
            int k = _index[Outputs[o]];
            var v = _values[k] ?? throw new InvalidOperationException("Backward needs a forward call first.");
            if (outputGrads[o].Length != v.Length)
                throw new ShapeMismatchException(Outputs[o].Name, v.Shape.ToString(), outputGrads[o].Shape.ToString(), "the loss gradient must have the output's shape.");
            Accumulate(k, outputGrads[o]);
        }
        for (int k = _order.Length - 1; k >= 0; k--)
        {
            if (!requires[k] || !_gradSet[k]) continue;
            var node = _order[k];
            var idx = _inputIndices[k];
            var grads = new Tensor?[idx.Length];
            var direct = new bool[idx.Length];
            for (int j = 0; j < idx.Length; j++)
            {
                int src = idx[j];
                if (!requires[src]) continue;
                var shape = _values[src]!.Shape;
                bool alreadyTargeted = false;
                for (int q = 0; q < j; q++) alreadyTargeted |= direct[q] && idx[q] == src;
                if (!_gradSet[src] && !alreadyTargeted)
                {
                    grads[j] = _grads[src].Get(shape);
                    direct[j] = true;
                }
                else grads[j] = _edgeScratch[k][j].Get(shape);
            }
            node.Layer.Backward(_inputArgs[k], _values[k]!, _grads[k].Current!, grads);
            for (int j = 0; j < idx.Length; j++)
            {
                if (grads[j] is null) continue;
                if (direct[j]) _gradSet[idx[j]] = true;
            }
            for (int j = 0; j < idx.Length; j++)
                if (grads[j] is { } g && !direct[j]) Accumulate(idx[j], g);
        }
    }

    private void Accumulate(int k, Tensor grad)
    {
        var target = _grads[k].Get(_values[k]!.Shape);
        if (!_gradSet[k]) { grad.Span.CopyTo(target.Span); _gradSet[k] = true; }
        else TensorPrimitives.Add(target.Span, grad.Span, target.Span);
    }

    /// <summary>The gradient that reached a node's output in the latest backward call (null where none did).</summary>
    public Tensor? GradientOf(string layerName)
    {
        int k = _index[GetNode(layerName)];
        return _gradSet[k] ? _grads[k].Current : null;
    }

    /// <summary>The output of a node in the latest forward call.</summary>
    public Tensor? ActivationOf(string layerName) => _values[_index[GetNode(layerName)]];

    /// <summary>Runs inference over a batch dimension of any size, <paramref name="batchSize"/> at a time, and returns a new tensor.</summary>
    public Tensor Predict(Tensor input, int batchSize = 32)
    {
        if (Outputs.Count != 1 || Inputs.Count != 1) throw new InvalidOperationException("Predict takes models with one input and one output.");
        int n = input.Shape[0];
        var result = new Tensor(Outputs[0].Shape.WithBatch(n));
        int per = Outputs[0].Shape.Size;
        for (int s = 0; s < n; s += batchSize)
        {
            int count = Math.Min(batchSize, n - s);
            var y = Forward(input.SliceBatch(s, count), training: false);
            y.Span.CopyTo(result.Span.Slice(s * per, count * per));
        }
        return result;
    }

    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.Grad.Clear();
    }

    public long CountParameters(bool? trainable = null) =>
        Parameters.Where(p => trainable is null || p.Trainable == trainable).Sum(p => (long)p.Shape.Size);

    /// <summary>Packs all weights into one contiguous arena (see <see cref="ParameterArena"/>).</summary>
    public ParameterArena CreateArena() => new(Parameters);

    /// <summary>A model from a list of layers applied one after another (Keras's Sequential).</summary>
    public static Model Sequential(Shape inputShape, params Layer[] layers)
    {
        var input = LayerCalls.Input(inputShape);
        var x = input;
        foreach (var l in layers) x = l.Call(x);
        return new Model(input, x, "sequential");
    }
}
