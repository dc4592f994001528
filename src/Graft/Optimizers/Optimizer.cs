using Graft.Layers;
using Graft.Optimizers.Schedules;

namespace Graft.Optimizers;

/// <summary>
/// The bookkeeping every optimizer shares; a subclass only writes its update rule (<see cref="Update"/>).
/// Works on a <see cref="ParameterArena"/>, so weights, gradients and state are flat arrays and updates are
/// single SIMD loops over contiguous runs. Each <see cref="Step"/>:
/// <list type="number">
/// <item>takes the learning rate from <see cref="Schedule"/> at <see cref="Iterations"/>, when one is set;</item>
/// <item>adds the gradients of each parameter's L2/L1 penalty (Keras regularizers: 2·l2·w + l1·sign(w));</item>
/// <item>clips all trainable gradients together to <see cref="GlobalClipNorm"/> (Keras global_clipnorm);</item>
/// <item>updates every parameter that is <see cref="Parameter.Trainable"/> now, with its group's learning rate and
/// weight decay. Frozen parameters are not touched at all, and can be unfrozen later without a new optimizer.</item>
/// </list>
/// Steps 2 and 3 change the gradients in place. State is allocated once, mirroring the whole arena, so that a
/// run of parameters is one span in every array; that costs memory for frozen weights too.
/// </summary>
public abstract class Optimizer
{
    private readonly ParameterArena _arena;
    private readonly ParameterGroup[] _groups;
    private readonly int[] _groupOf;        // per arena parameter: index into _groupLr/_groupDecay
    private readonly float[] _groupLrMultiplier;
    private readonly float?[] _groupDecay;
    private readonly string[] _slotNames;
    private readonly float[][] _slots;
    private readonly (int Start, int Length, int Group)[] _runs;
    private float _learningRate;

    protected Optimizer(ParameterArena arena, float learningRate, float weightDecay, IEnumerable<ParameterGroup>? groups, params string[] slotNames)
    {
        ArgumentNullException.ThrowIfNull(arena);
        _arena = arena;
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        _groups = groups?.ToArray() ?? Array.Empty<ParameterGroup>();
        _groupLrMultiplier = new float[_groups.Length + 1];
        _groupDecay = new float?[_groups.Length + 1];
        _groupLrMultiplier[0] = 1f;
        for (int k = 0; k < _groups.Length; k++)
        {
            _groupLrMultiplier[k + 1] = _groups[k].LearningRateMultiplier;
            _groupDecay[k + 1] = _groups[k].WeightDecay;
        }
        _groupOf = new int[arena.Parameters.Count];
        for (int i = 0; i < _groupOf.Length; i++)
        {
            var p = arena.Parameters[i];
            _groupOf[i] = Array.FindIndex(_groups, g => g.Selector(p)) + 1;
        }
        _slotNames = slotNames;
        _slots = slotNames.Select(_ => new float[arena.Values.Length]).ToArray();
        _runs = new (int, int, int)[arena.Parameters.Count];
    }

    public ParameterArena Arena => _arena;
    public IReadOnlyList<ParameterGroup> Groups => _groups;

    /// <summary>The base learning rate of the next step (groups multiply it). Settable, e.g. by ReduceLROnPlateau;
    /// when <see cref="Schedule"/> is set, every step overwrites it with the schedule's value.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value >= 0) || float.IsInfinity(value))
                throw new ArgumentException($"Invalid learning rate. Expected a finite value ≥ 0. Received: {value}.");
            _learningRate = value;
        }
    }

    /// <summary>Learning rate as a function of the step index (0 for the first step); null keeps <see cref="LearningRate"/>.</summary>
    public LearningRateSchedule? Schedule { get; set; }

    /// <summary>Weight decay of the default group; what it means (L2 added to the gradient, or decoupled) is the optimizer's rule.</summary>
    public float WeightDecay { get; set; }

    /// <summary>When set, gradients are scaled by min(1, c / ‖g‖) with ‖g‖ the L2 norm over all trainable gradients.</summary>
    public float? GlobalClipNorm { get; set; }

    /// <summary>Steps taken (Keras's optimizer.iterations).</summary>
    public long Iterations { get; private set; }

    /// <summary>Names of the per-weight state arrays, e.g. "momentum", "velocity".</summary>
    public IReadOnlyList<string> SlotNames => _slotNames;

    public void ZeroGrad() => _arena.ZeroGrad();

    public void Step()
    {
        if (Schedule is { } schedule) LearningRate = schedule.At(Iterations);
        int runs = BuildRuns();
        AddRegularizationGradients();
        if (GlobalClipNorm is { } clip)
        {
            float norm = GlobalNorm(runs);
            if (norm > clip) // Keras: g · clip / max(‖g‖, clip); no scaling when within bounds.
            {
                float scale = clip / norm;
                for (int r = 0; r < runs; r++)
                {
                    var g = _arena.Grads.AsSpan(_runs[r].Start, _runs[r].Length);
                    TensorPrimitives.Multiply(g, scale, g);
                }
            }
        }
        for (int r = 0; r < runs; r++)
        {
            var (start, length, group) = _runs[r];
            var slice = new ParameterSlice(_arena.Values.AsSpan(start, length), _arena.Grads.AsSpan(start, length), _slots, start);
            Update(slice, LearningRate * _groupLrMultiplier[group], _groupDecay[group] ?? WeightDecay);
        }
        Iterations++;
    }

    /// <summary>The L2 norm of the gradients of all parameters that are trainable now.</summary>
    public float GradientGlobalNorm() => GlobalNorm(BuildRuns());

    /// <summary>
    /// Applies the rule to one run. <paramref name="learningRate"/> already includes the group multiplier and the
    /// schedule; <see cref="Iterations"/> still counts the steps before this one.
    /// </summary>
    protected abstract void Update(ParameterSlice slice, float learningRate, float weightDecay);

    private int BuildRuns()
    {
        int count = 0;
        var ps = _arena.Parameters;
        for (int i = 0; i < ps.Count; i++)
        {
            var p = ps[i];
            if (!p.Trainable || p.Shape.Size == 0) continue;
            int start = _arena.Offsets[i], group = _groupOf[i];
            if (count > 0 && _runs[count - 1].Group == group && _runs[count - 1].Start + _runs[count - 1].Length == start)
                _runs[count - 1].Length += p.Shape.Size;
            else
                _runs[count++] = (start, p.Shape.Size, group);
        }
        return count;
    }

    private float GlobalNorm(int runs)
    {
        double sum = 0;
        for (int r = 0; r < runs; r++) sum += TensorPrimitives.SumOfSquares<float>(_arena.Grads.AsSpan(_runs[r].Start, _runs[r].Length));
        return (float)Math.Sqrt(sum);
    }

    private void AddRegularizationGradients()
    {
        var ps = _arena.Parameters;
        for (int i = 0; i < ps.Count; i++)
        {
            var p = ps[i];
            if (!p.Trainable || (p.L2 == 0 && p.L1 == 0)) continue;
            var w = p.Value.Span;
            var g = p.Grad.Span;
            if (p.L2 != 0) TensorPrimitives.MultiplyAdd(w, 2 * p.L2, g, g);
            if (p.L1 != 0)
                for (int j = 0; j < w.Length; j++) g[j] += w[j] > 0 ? p.L1 : w[j] < 0 ? -p.L1 : 0f;
        }
    }

    /// <summary>
    /// A copy of the optimizer's state as named arrays, for resuming training: "{parameter}/{slot}" for every
    /// trainable weight's slots, "iterations" as [low, high] with iterations = high·2^24 + low (both exact in
    /// float32), and "learning_rate".
    /// </summary>
    public IReadOnlyDictionary<string, float[]> GetState()
    {
        var state = new Dictionary<string, float[]>(StringComparer.Ordinal)
        {
            ["iterations"] = new[] { (float)(Iterations & 0xFFFFFF), (float)(Iterations >> 24) },
            ["learning_rate"] = new[] { LearningRate },
        };
        foreach (var (p, offset) in StatefulParameters())
            for (int s = 0; s < _slotNames.Length; s++)
                state[$"{p.FullName}/{_slotNames[s]}"] = _slots[s].AsSpan(offset, p.Shape.Size).ToArray();
        return state;
    }

    /// <summary>Restores what <see cref="GetState"/> returned, from an optimizer of the same kind over the same parameters.</summary>
    public void LoadState(IReadOnlyDictionary<string, float[]> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var expected = new HashSet<string>(StringComparer.Ordinal) { "iterations", "learning_rate" };
        foreach (var (p, _) in StatefulParameters())
            foreach (var s in _slotNames) expected.Add($"{p.FullName}/{s}");
        var missing = expected.Where(k => !state.ContainsKey(k)).Take(5).ToArray();
        var extra = state.Keys.Where(k => !expected.Contains(k)).Take(5).ToArray();
        if (missing.Length > 0 || extra.Length > 0)
            throw new ArgumentException($"Optimizer state does not match this {GetType().Name}. Missing: [{string.Join(", ", missing)}]. Unexpected: [{string.Join(", ", extra)}]. " +
                "Hint: state loads into the same optimizer type over a model with the same parameter names.");
        var it = state["iterations"];
        if (it.Length != 2 || it[0] < 0 || it[1] < 0 || it[0] != MathF.Floor(it[0]) || it[1] != MathF.Floor(it[1]))
            throw new ArgumentException($"Optimizer state 'iterations' must be [low, high] non-negative integers. Received: [{string.Join(", ", it)}].");
        var lr = state["learning_rate"];
        if (lr.Length != 1) throw new ArgumentException($"Optimizer state 'learning_rate' must hold 1 value. Received: {lr.Length}.");
        foreach (var (p, _) in StatefulParameters())
            foreach (var s in _slotNames)
            {
                var a = state[$"{p.FullName}/{s}"];
                if (a.Length != p.Shape.Size)
                    throw new ArgumentException($"Optimizer state '{p.FullName}/{s}' has {a.Length} values. Expected {p.Shape.Size} for shape {p.Shape}.");
            }
        foreach (var (p, offset) in StatefulParameters())
            for (int s = 0; s < _slotNames.Length; s++)
                state[$"{p.FullName}/{_slotNames[s]}"].CopyTo(_slots[s].AsSpan(offset, p.Shape.Size));
        Iterations = (long)it[1] << 24 | (long)it[0];
        LearningRate = lr[0];
    }

    private IEnumerable<(Parameter Parameter, int Offset)> StatefulParameters()
    {
        if (_slotNames.Length == 0) yield break;
        for (int i = 0; i < _arena.Parameters.Count; i++)
            if (_arena.Parameters[i].IsTrainableWeight) yield return (_arena.Parameters[i], _arena.Offsets[i]);
    }
}
