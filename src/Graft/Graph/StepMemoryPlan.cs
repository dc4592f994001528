using Graft.Layers;

namespace Graft.Graph;

/// <summary>
/// How a <see cref="Model"/> runs one forward + backward step and where each tensor of it lives, for one
/// trainability state and mode. The step is a fixed timeline: forward of node k at t = k, the loss gradients
/// at t = n, backward of node k at t = n + 1 + (n − 1 − k). Every tensor is an interval on it:
/// <list type="bullet">
/// <item>a node's output from its forward to the last read: its last forward consumer, or a backward that
/// declares it reads it (<see cref="Layer.BackwardReads"/>); model outputs to the end;</item>
/// <item>a node's output gradient from the first backward that writes it (or the loss gradient) to its own
/// backward;</item>
/// <item>an edge's scratch gradient (a second gradient into an input, added to it) for one backward.</item>
/// </list>
/// Intervals take shared buffers by best fit, as <see cref="InferencePlanMemory"/> does; a buffer is a slot of the
/// model's buffer list (shared by all its plans), sized per sample and multiplied by the batch at run time.
/// The backward program (which gradient a layer writes directly, which through scratch and adds) is the one the
/// layer-by-layer backward always had, decided here once instead of on every call.
/// </summary>
internal sealed class StepMemoryPlan
{
    public enum Edge : byte { None, Direct, Scratch }

    private StepMemoryPlan(int n) => Nodes = n;

    public int Nodes { get; }
    /// <summary>Timeline length: n forward steps, the loss gradients, n backward steps.</summary>
    public int Steps => 2 * Nodes + 1;
    public int BackwardStep(int k) => Nodes + 1 + (Nodes - 1 - k);
    public int LossStep => Nodes;

    /// <summary>Per node: the layer has trainable weights (or its bits of <see cref="Layer.BackwardReads"/>); the plan's key.</summary>
    public byte[] Signature { get; private set; } = Array.Empty<byte>();
    public bool Training { get; private set; }
    public bool Retain { get; private set; }
    /// <summary>Inference that keeps only the model outputs (Predict, evaluation): no backward can follow.</summary>
    public bool OutputsOnly { get; private set; }
    /// <summary>Values live to the end of the step (inference forward, or <see cref="Model.RetainIntermediates"/>).</summary>
    public bool KeepsValues { get; private set; }

    /// <summary>Node k's backward runs (it leads to a trainable weight and a gradient reaches it).</summary>
    public bool[] Runs { get; private set; } = Array.Empty<bool>();
    /// <summary>A gradient reaches node k's output in the step.</summary>
    public bool[] GradReached { get; private set; } = Array.Empty<bool>();
    /// <summary>Per model output: its loss gradient is copied (first) or added (the same node listed again).</summary>
    public bool[] OutputCopies { get; private set; } = Array.Empty<bool>();
    public Edge[][] Edges { get; private set; } = Array.Empty<Edge[]>();

    /// <summary>Where a tensor lives: a slot and an offset in it, in floats per sample (both scale with the batch).</summary>
    public readonly record struct Place(int Slot, long Offset)
    {
        public static readonly Place None = new(-1, 0);
    }

    /// <summary>Place of node k's output (slot −1 for model inputs, which are the caller's), of its gradient (−1: none), of edge scratch.</summary>
    public Place[] ValuePlace { get; private set; } = Array.Empty<Place>();
    public Place[] GradPlace { get; private set; } = Array.Empty<Place>();
    public Place[][] ScratchPlace { get; private set; } = Array.Empty<Place[]>();
    /// <summary>Floats per sample each slot needs in this plan (0: unused).</summary>
    public long[] Capacity { get; private set; } = Array.Empty<long>();
    /// <summary>Timeline step at which another tensor takes over the buffer (int.MaxValue: never in this step).</summary>
    public int[] ValueOverwrittenAt { get; private set; } = Array.Empty<int>();
    public int[] GradOverwrittenAt { get; private set; } = Array.Empty<int>();
    /// <summary>Tensors that die after each timeline step, as place and floats per sample (tests poison them to catch wrong declarations).</summary>
    public (Place At, long Size)[][] FreedAfter { get; private set; } = Array.Empty<(Place, long)[]>();

    /// <summary>Floats per sample alive during each timeline step (values, gradients, scratch), for tests and tuning.</summary>
    public long[] LiveAt { get; private set; } = Array.Empty<long>();
    /// <summary>The values alive during each step, for tests and tuning.</summary>
    public long[] LiveValuesAt { get; private set; } = Array.Empty<long>();

    /// <summary>Every tensor of the step: its interval on the timeline, floats per sample and place (for tests).</summary>
    internal (int Def, int Last, long Size, Place At)[] Layout { get; private set; } = Array.Empty<(int, int, long, Place)>();

    /// <summary>Per-plan cache of tensor views (node outputs, gradients, scratch), so steady-state steps allocate nothing.</summary>
    internal Graft.Tensors.Tensor?[] ValueViews = Array.Empty<Graft.Tensors.Tensor?>();
    internal Graft.Tensors.Tensor?[] GradViews = Array.Empty<Graft.Tensors.Tensor?>();
    internal Graft.Tensors.Tensor?[][] ScratchViews = Array.Empty<Graft.Tensors.Tensor?[]>();
    /// <summary>Per node: the inputGrads argument of its backward, reused.</summary>
    internal Graft.Tensors.Tensor?[][] GradArgs = Array.Empty<Graft.Tensors.Tensor?[]>();

    /// <summary>The key of a plan for the model's current trainability: per node, trainable-weight bit and backward reads.</summary>
    public static void ComputeSignature(Node[] order, byte[] into)
    {
        for (int k = 0; k < order.Length; k++)
        {
            var layer = order[k].Layer;
            var ps = layer.Parameters;
            bool trainable = false;
            for (int i = 0; i < ps.Count && !trainable; i++) trainable = ps[i].Trainable;
            into[k] = (byte)((trainable ? 1 : 0) | ((int)layer.BackwardReads << 1));
        }
    }

    public bool Matches(byte[] signature, bool training, bool retain, bool outputsOnly) =>
        Training == training && Retain == retain && OutputsOnly == outputsOnly && signature.AsSpan().SequenceEqual(Signature);

    /// <param name="order">Nodes in topological order.</param>
    /// <param name="inputIndices">Per node, the indices of its inputs.</param>
    /// <param name="outputs">Node index of each model output (may repeat).</param>
    /// <param name="signature">From <see cref="ComputeSignature"/>.</param>
    /// <param name="training">Forward in training mode: values no backward reads are recycled (unless <paramref name="retain"/>).</param>
    /// <param name="retain">Keep every value and gradient to the end of the step.</param>
    /// <param name="outputsOnly">Inference keeping only the model outputs: values die with their last forward reader, no gradients.</param>
    /// <param name="slotCapacity">Per-sample sizes of the model's existing slots; unused ones are taken before new ones are made.</param>
    public static StepMemoryPlan Build(Node[] order, int[][] inputIndices, int[] outputs, byte[] signature, bool training, bool retain, bool outputsOnly, IReadOnlyList<long> slotCapacity)
    {
        int n = order.Length;
        var plan = new StepMemoryPlan(n)
        {
            Signature = (byte[])signature.Clone(),
            Training = training,
            Retain = retain,
            OutputsOnly = outputsOnly && !training && !retain,
            KeepsValues = retain || (!training && !outputsOnly),
        };
        var trainable = new bool[n];
        var reads = new BackwardReads[n];
        for (int k = 0; k < n; k++)
        {
            trainable[k] = (signature[k] & 1) != 0;
            reads[k] = (BackwardReads)(signature[k] >> 1);
        }

        // The backward program, exactly as the dynamic version decided it.
        var requires = new bool[n];
        for (int k = 0; k < n; k++)
        {
            bool r = trainable[k] && !plan.OutputsOnly;
            foreach (int i in inputIndices[k]) r |= requires[i];
            requires[k] = r;
        }
        int end = plan.Steps; // "alive after the step"
        var gradSet = new bool[n];
        var gradDef = new int[n];
        plan.OutputCopies = new bool[outputs.Length];
        for (int o = 0; o < outputs.Length; o++)
        {
            int k = outputs[o];
            plan.OutputCopies[o] = !gradSet[k];
            if (!gradSet[k]) gradDef[k] = plan.LossStep;
            gradSet[k] = true;
        }
        var runs = new bool[n];
        var edges = new Edge[n][];
        for (int k = n - 1; k >= 0; k--)
        {
            var idx = inputIndices[k];
            var e = edges[k] = new Edge[idx.Length];
            if (!requires[k] || !gradSet[k]) continue;
            runs[k] = true;
            for (int j = 0; j < idx.Length; j++)
            {
                int src = idx[j];
                if (!requires[src]) continue;
                bool alreadyTargeted = false;
                for (int q = 0; q < j; q++) alreadyTargeted |= e[q] == Edge.Direct && idx[q] == src;
                e[j] = !gradSet[src] && !alreadyTargeted ? Edge.Direct : Edge.Scratch;
            }
            for (int j = 0; j < idx.Length; j++)
                if (e[j] == Edge.Direct)
                {
                    gradSet[idx[j]] = true;
                    gradDef[idx[j]] = plan.BackwardStep(k);
                }
        }
        plan.Runs = runs;
        plan.GradReached = gradSet;
        plan.Edges = edges;

        // Intervals: (def, last) per value, gradient and scratch.
        var isInput = new bool[n];
        var valueLast = new int[n];
        for (int k = 0; k < n; k++)
        {
            isInput[k] = order[k].Layer is InputLayer;
            valueLast[k] = plan.KeepsValues ? end : k;
            if (runs[k] && (reads[k] & BackwardReads.Output) != 0) valueLast[k] = Math.Max(valueLast[k], plan.BackwardStep(k));
        }
        foreach (int k in outputs) valueLast[k] = end;
        for (int c = 0; c < n; c++)
            foreach (int src in inputIndices[c])
            {
                valueLast[src] = Math.Max(valueLast[src], c);
                if (runs[c] && (reads[c] & BackwardReads.Inputs) != 0) valueLast[src] = Math.Max(valueLast[src], plan.BackwardStep(c));
            }
        var gradLast = new int[n];
        for (int k = 0; k < n; k++)
            gradLast[k] = !gradSet[k] ? -1 : retain ? end : runs[k] ? plan.BackwardStep(k) : gradDef[k];

        // The tensors of the step as intervals [def, last] on the timeline (inclusive: a step's output never shares
        // with what the step reads); last = end means alive after the step.
        var intervals = new List<Interval>();
        for (int k = 0; k < n; k++)
        {
            long size = order[k].Shape.Size;
            if (!isInput[k]) intervals.Add(new Interval(0, k, 0, k, valueLast[k], size));
            if (gradSet[k]) intervals.Add(new Interval(1, k, 0, gradDef[k], gradLast[k], size));
            for (int j = 0; j < edges[k].Length; j++)
                if (edges[k][j] == Edge.Scratch)
                    intervals.Add(new Interval(2, k, j, plan.BackwardStep(k), plan.BackwardStep(k), order[inputIndices[k][j]].Shape.Size));
        }
        var placeOf = Pack(intervals, slotCapacity, out var capacity);

        var valuePlace = new Place[n];
        var gradPlace = new Place[n];
        Array.Fill(valuePlace, Place.None);
        Array.Fill(gradPlace, Place.None);
        var scratchPlace = new Place[n][];
        for (int k = 0; k < n; k++) { scratchPlace[k] = new Place[edges[k].Length]; Array.Fill(scratchPlace[k], Place.None); }
        var valueOver = new int[n];
        var gradOver = new int[n];
        Array.Fill(valueOver, int.MaxValue);
        Array.Fill(gradOver, int.MaxValue);
        var freedAfter = new List<(Place, long)>[plan.Steps];
        for (int t = 0; t < plan.Steps; t++) freedAfter[t] = new();
        var liveAt = new long[plan.Steps];
        var liveValuesAt = new long[plan.Steps];
        for (int i = 0; i < intervals.Count; i++)
        {
            var iv = intervals[i];
            var at = placeOf[i];
            if (iv.Kind == 0) valuePlace[iv.K] = at;
            else if (iv.Kind == 1) gradPlace[iv.K] = at;
            else scratchPlace[iv.K][iv.J] = at;
            if (iv.Last < end) freedAfter[iv.Last].Add((at, iv.Size));
            for (int t = iv.Def; t <= Math.Min(iv.Last, end - 1); t++)
            {
                liveAt[t] += iv.Size;
                if (iv.Kind == 0) liveValuesAt[t] += iv.Size;
            }
            // The first later tensor over any of this one's floats overwrites it.
            int over = int.MaxValue;
            for (int q = 0; q < intervals.Count; q++)
                if (placeOf[q].Slot == at.Slot && intervals[q].Def > iv.Last && Overlap(placeOf[q].Offset, intervals[q].Size, at.Offset, iv.Size))
                    over = Math.Min(over, intervals[q].Def);
            if (iv.Kind == 0) valueOver[iv.K] = over;
            else if (iv.Kind == 1) gradOver[iv.K] = over;
        }

        plan.Layout = intervals.Select((iv, i) => (iv.Def, iv.Last, iv.Size, placeOf[i])).ToArray();
        plan.ValuePlace = valuePlace;
        plan.GradPlace = gradPlace;
        plan.ScratchPlace = scratchPlace;
        plan.Capacity = capacity;
        plan.ValueOverwrittenAt = valueOver;
        plan.GradOverwrittenAt = gradOver;
        plan.FreedAfter = freedAfter.Select(f => f.ToArray()).ToArray();
        plan.LiveAt = liveAt;
        plan.LiveValuesAt = liveValuesAt;
        plan.ValueViews = new Graft.Tensors.Tensor?[n];
        plan.GradViews = new Graft.Tensors.Tensor?[n];
        plan.ScratchViews = edges.Select(e => new Graft.Tensors.Tensor?[e.Length]).ToArray();
        plan.GradArgs = edges.Select(e => new Graft.Tensors.Tensor?[e.Length]).ToArray();
        return plan;
    }

    private readonly record struct Interval(int Kind, int K, int J, int Def, int Last, long Size);

    private static bool Overlap(long offsetA, long sizeA, long offsetB, long sizeB) => offsetA < offsetB + sizeB && offsetB < offsetA + sizeA;

    /// <summary>
    /// Greedy by size, as TensorFlow Lite's arena planner: the largest tensors first, each into the smallest gap
    /// that holds it, among the tensors alive at the same time, in any slot; else a new slot of its size. A slot is
    /// as large as its first (largest) tensor, so smaller ones pack side by side in it. Slots the model already has
    /// (from its other plan) count with their sizes, so training and inference settle on one set of buffers.
    /// Returns each interval's place and the floats per sample this plan asks of each slot.
    /// </summary>
    private static Place[] Pack(List<Interval> intervals, IReadOnlyList<long> existing, out long[] capacity)
    {
        var byDecreasingSize = Enumerable.Range(0, intervals.Count)
            .OrderByDescending(i => intervals[i].Size).ThenBy(i => intervals[i].Def).ThenBy(i => i).ToArray();
        var slotSize = new List<long>(existing);
        var placed = new List<List<int>>();
        foreach (var _ in existing) placed.Add(new List<int>());
        var placeOf = new Place[intervals.Count];
        var alive = new List<(long Offset, long End)>();
        foreach (int i in byDecreasingSize)
        {
            var iv = intervals[i];
            Place best = Place.None;
            long bestGap = long.MaxValue;
            for (int s = 0; s < slotSize.Count; s++)
            {
                if (slotSize[s] < iv.Size) continue;
                alive.Clear();
                foreach (int q in placed[s])
                    if (intervals[q].Def <= iv.Last && iv.Def <= intervals[q].Last)
                        alive.Add((placeOf[q].Offset, placeOf[q].Offset + intervals[q].Size));
                alive.Sort();
                long from = 0;
                foreach (var (offset, end) in alive.Append((slotSize[s], slotSize[s])))
                {
                    long gap = offset - from;
                    if (gap >= iv.Size && gap < bestGap) { best = new Place(s, from); bestGap = gap; }
                    from = Math.Max(from, end);
                }
            }
            if (best.Slot < 0)
            {
                best = new Place(slotSize.Count, 0);
                slotSize.Add(iv.Size);
                placed.Add(new List<int>());
            }
            placed[best.Slot].Add(i);
            placeOf[i] = best;
        }
        capacity = new long[slotSize.Count];
        for (int i = 0; i < intervals.Count; i++)
            capacity[placeOf[i].Slot] = Math.Max(capacity[placeOf[i].Slot], placeOf[i].Offset + intervals[i].Size);
        return placeOf;
    }
}
