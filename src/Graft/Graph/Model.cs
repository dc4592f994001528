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
    private readonly int[] _outputIndices;
    private readonly Tensor[][] _inputArgs;
    private readonly Tensor?[] _values;
    // Memory: buffers ("slots") shared by the model's plans (training, inference, outputs-only); see StepMemoryPlan.
    private readonly List<float[]?> _slots = new();
    private readonly List<long> _slotCapacity = new(); // floats per sample, the most any plan asked of the slot
    private readonly byte[] _signature;
    private StepMemoryPlan? _trainingPlan, _inferencePlan, _outputsOnlyPlan, _plan;
    private Shape[] _batchShapes = Array.Empty<Shape>();
    private int _batch = -1;
    private int _phase = -1; // last timeline step of _plan that ran
    private bool _backwardRan;
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
        _outputIndices = Outputs.Select(o => _index[o]).ToArray();
        _inputArgs = _order.Select(n => new Tensor[n.Inputs.Count]).ToArray();
        _values = new Tensor?[_order.Length];
        _signature = new byte[_order.Length];
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

    /// <summary>
    /// Keep every node's output and gradient of a training step readable through <see cref="ActivationOf"/> and
    /// <see cref="GradientOf"/> (debugging, inspection), at the memory cost of holding all of them at once.
    /// False (the default): a training forward keeps only the values some layer's backward reads
    /// (<see cref="Layer.BackwardReads"/>) and the model outputs, and gradients share buffers by liveness, which
    /// needs a fraction of the memory and gives the same numbers. Inference forward calls keep every output either way.
    /// </summary>
    public bool RetainIntermediates { get; set; }

    /// <summary>Tests: fill each buffer with NaN as soon as its tensor dies, so a backward that reads a value it did not declare fails loudly.</summary>
    internal bool PoisonRecycledBuffers { get; set; }

    /// <summary>The plan of the latest forward call (tests).</summary>
    internal StepMemoryPlan? LatestPlan => _plan;

    /// <summary>Floats the model's step buffers hold now (activations, gradients, scratch; not weights).</summary>
    internal long BufferFloats => _slots.Sum(a => (long)(a?.Length ?? 0));

    /// <summary>
    /// Runs the model. The returned tensors belong to the model and are overwritten by the next call.
    /// An inference call (<paramref name="training"/> false) keeps every node's output for <see cref="ActivationOf"/>;
    /// a training call keeps only what the following <see cref="Backward"/> needs, unless <see cref="RetainIntermediates"/>.
    /// </summary>
    public Tensor[] Forward(Tensor[] inputs, bool training = false) => Forward(inputs, training, outputsOnly: false);

    /// <summary>
    /// Inference that keeps only the model outputs (<see cref="Predict"/>, evaluation loops): each intermediate
    /// output is recycled after its last reader, so a pass needs a few activations' memory rather than all of them.
    /// <see cref="ActivationOf"/> then has the outputs only, and no <see cref="Backward"/> can follow.
    /// </summary>
    internal Tensor[] ForwardOutputsOnly(Tensor[] inputs) => Forward(inputs, training: false, outputsOnly: true);

    private Tensor[] Forward(Tensor[] inputs, bool training, bool outputsOnly)
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
        }
        var plan = _plan = PlanFor(training, outputsOnly);
        _phase = -1;
        _backwardRan = false;
        SetBatch(batch);
        for (int i = 0; i < inputs.Length; i++) _values[_index[Inputs[i]]] = inputs[i];
        for (int k = 0; k < _order.Length; k++)
        {
            var node = _order[k];
            if (node.Layer is not InputLayer)
            {
                var args = _inputArgs[k];
                var idx = _inputIndices[k];
                for (int j = 0; j < idx.Length; j++) args[j] = _values[idx[j]]!;
                var output = View(plan.ValuePlace[k], _batchShapes[k], ref plan.ValueViews[k]);
                node.Layer.Forward(args, output, training);
                _values[k] = output;
            }
            Poison(plan, k);
        }
        _phase = _order.Length - 1;
        var result = new Tensor[_outputIndices.Length];
        for (int o = 0; o < result.Length; o++) result[o] = _values[_outputIndices[o]]!;
        return result;
    }

    public Tensor Forward(Tensor input, bool training = false) => Forward(new[] { input }, training)[0];

    /// <summary>
    /// Back-propagates dL/d(outputs) from the latest forward call: adds weight gradients into every trainable
    /// parameter's <see cref="Parameter.Grad"/>. Layers below the lowest trainable layer are not visited.
    /// After a training forward (without <see cref="RetainIntermediates"/>) it runs once: the values it reads are
    /// recycled as it goes. What is trainable must not change between the forward call and this one.
    /// </summary>
    public void Backward(params Tensor[] outputGrads)
    {
        if (outputGrads.Length != Outputs.Count)
            throw new ArgumentException($"Model '{Name}' has {Outputs.Count} output(s); {outputGrads.Length} gradient(s) given.");
        var plan = _plan;
        if (plan is null || _phase < _order.Length - 1) throw new InvalidOperationException("Backward needs a forward call first.");
        if (plan.OutputsOnly) throw new InvalidOperationException("Backward needs Model.Forward first; the latest call (Predict or an evaluation pass) kept only the model outputs.");
        // The plan (what backward visits, which values it kept) was made for the trainability of the forward call.
        StepMemoryPlan.ComputeSignature(_order, _signature);
        if (!plan.Matches(_signature, plan.Training, plan.Retain, plan.OutputsOnly))
            throw new InvalidOperationException("A layer was frozen or unfrozen between Forward and Backward; run Forward again after changing what is trainable.");
        if (_backwardRan && !plan.KeepsValues)
            throw new InvalidOperationException("Backward already ran for this training forward call, whose intermediate values it recycled. Run Forward again, or set RetainIntermediates.");
        for (int o = 0; o < Outputs.Count; o++)
        {
            int k = _outputIndices[o];
            var v = _values[k]!;
            if (outputGrads[o].Length != v.Length)
                throw new ShapeMismatchException(Outputs[o].Name, v.Shape.ToString(), outputGrads[o].Shape.ToString(), "the loss gradient must have the output's shape.");
        }
        _backwardRan = true;
        for (int o = 0; o < Outputs.Count; o++)
        {
            int k = _outputIndices[o];
            var target = GradView(plan, k);
            if (plan.OutputCopies[o]) outputGrads[o].Span.CopyTo(target.Span);
            else TensorPrimitives.Add(target.Span, outputGrads[o].Span, target.Span);
        }
        Poison(plan, plan.LossStep);
        for (int k = _order.Length - 1; k >= 0; k--)
        {
            if (plan.Runs[k])
            {
                var idx = _inputIndices[k];
                var edges = plan.Edges[k];
                var grads = plan.GradArgs[k];
                for (int j = 0; j < idx.Length; j++)
                    grads[j] = edges[j] switch
                    {
                        StepMemoryPlan.Edge.Direct => GradView(plan, idx[j]),
                        StepMemoryPlan.Edge.Scratch => View(plan.ScratchPlace[k][j], _batchShapes[idx[j]], ref plan.ScratchViews[k][j]),
                        _ => null,
                    };
                _order[k].Layer.Backward(_inputArgs[k], _values[k]!, GradView(plan, k), grads);
                // A second gradient into the same input (fan-out, or x + x) was written to scratch: add it.
                for (int j = 0; j < idx.Length; j++)
                    if (edges[j] == StepMemoryPlan.Edge.Scratch)
                    {
                        var target = GradView(plan, idx[j]).Span;
                        TensorPrimitives.Add(target, grads[j]!.Span, target);
                    }
            }
            Poison(plan, plan.BackwardStep(k));
        }
        _phase = plan.Steps - 1;
    }

    /// <summary>
    /// The gradient that reached a node's output in the latest backward call: null where none did, before the
    /// backward of the latest forward call, or where a training step recycled its buffer (see <see cref="RetainIntermediates"/>).
    /// </summary>
    public Tensor? GradientOf(string layerName)
    {
        int k = _index[GetNode(layerName)];
        var plan = _plan;
        if (plan is null || _phase < plan.Steps - 1 || !plan.GradReached[k] || plan.GradOverwrittenAt[k] <= _phase) return null;
        return plan.GradViews[k];
    }

    /// <summary>
    /// The output of a node in the latest forward call. After an inference forward every node has one; after a
    /// training forward, null for outputs whose buffers the step recycled (see <see cref="RetainIntermediates"/>).
    /// </summary>
    public Tensor? ActivationOf(string layerName)
    {
        int k = _index[GetNode(layerName)];
        var plan = _plan;
        if (plan is null || _phase < 0) return null;
        if (plan.ValuePlace[k].Slot >= 0 && plan.ValueOverwrittenAt[k] <= _phase) return null;
        return _values[k];
    }

    private StepMemoryPlan PlanFor(bool training, bool outputsOnly)
    {
        StepMemoryPlan.ComputeSignature(_order, _signature);
        ref var cached = ref training ? ref _trainingPlan : ref outputsOnly ? ref _outputsOnlyPlan : ref _inferencePlan;
        if (cached is null || !cached.Matches(_signature, training, RetainIntermediates, outputsOnly))
        {
            cached = StepMemoryPlan.Build(_order, _inputIndices, _outputIndices, _signature, training, RetainIntermediates, outputsOnly, _slotCapacity);
            for (int s = 0; s < cached.Capacity.Length; s++)
            {
                if (s == _slotCapacity.Count) { _slotCapacity.Add(0); _slots.Add(null); }
                _slotCapacity[s] = Math.Max(_slotCapacity[s], cached.Capacity[s]);
            }
        }
        return cached;
    }

    private void SetBatch(int batch)
    {
        if (batch == _batch) return;
        _batch = batch;
        _batchShapes = _order.Select(n => n.Shape.WithBatch(batch)).ToArray();
    }

    private Tensor GradView(StepMemoryPlan plan, int k) => View(plan.GradPlace[k], _batchShapes[k], ref plan.GradViews[k]);

    /// <summary>A tensor of <paramref name="shape"/> at <paramref name="at"/>, cached while the slot's array and the shape stay.</summary>
    private Tensor View(StepMemoryPlan.Place at, Shape shape, ref Tensor? cache)
    {
        int slot = at.Slot;
        long need = _plan!.Capacity[slot] * _batch;
        var array = _slots[slot];
        if (array is null || array.Length < need)
        {
            // The most any plan asks of the slot, so switching between training and inference settles at once.
            long want = Math.Max(need, _slotCapacity[slot] * _batch);
            _slots[slot] = array = new float[want <= Array.MaxLength ? want : need];
        }
        if (cache is null || !ReferenceEquals(cache.Buffer, array) || !ReferenceEquals(cache.Shape, shape))
            cache = new Tensor(shape, array, checked((int)(at.Offset * _batch)));
        return cache;
    }

    private void Poison(StepMemoryPlan plan, int step)
    {
        if (!PoisonRecycledBuffers) return;
        foreach (var (at, size) in plan.FreedAfter[step])
            _slots[at.Slot]?.AsSpan((int)(at.Offset * _batch), (int)(size * _batch)).Fill(float.NaN);
    }

    /// <summary>
    /// Runs inference over a batch dimension of any size, <paramref name="batchSize"/> at a time, and returns a new
    /// tensor. Keeps only the outputs (see <see cref="ForwardOutputsOnly"/>).
    /// </summary>
    public Tensor Predict(Tensor input, int batchSize = 32)
    {
        if (Outputs.Count != 1 || Inputs.Count != 1) throw new InvalidOperationException("Predict takes models with one input and one output.");
        int n = input.Shape[0];
        var result = new Tensor(Outputs[0].Shape.WithBatch(n));
        int per = Outputs[0].Shape.Size;
        for (int s = 0; s < n; s += batchSize)
        {
            int count = Math.Min(batchSize, n - s);
            var y = ForwardOutputsOnly(new[] { input.SliceBatch(s, count) })[0];
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
