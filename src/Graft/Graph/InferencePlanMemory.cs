using Graft.Tensors;

namespace Graft.Graph;

/// <summary>
/// Assigns plan values to a few shared buffers by liveness: a value's buffer returns to the pool after the last
/// step that reads it, and the next value takes the smallest free buffer that fits (or grows the largest), so a
/// deep network needs about as many buffers as values alive at once. Element-wise steps write over an input that
/// dies with them. Sizes are per sample; buffers are allocated for a batch at run time. Model inputs are the
/// caller's and are never written; model outputs stay live to the end.
/// </summary>
internal sealed class InferencePlanMemory
{
    private InferencePlanMemory(int[] bufferOf, long[] capacity)
    {
        BufferOf = bufferOf;
        Capacity = capacity;
    }

    /// <summary>Buffer index of each value; −1 for model inputs.</summary>
    public int[] BufferOf { get; }
    /// <summary>Floats per sample of each buffer.</summary>
    public long[] Capacity { get; }

    public static InferencePlanMemory Assign(List<PlanStep> steps, List<Shape> valueShapes, int[] inputValues, int[] outputValues)
    {
        int values = valueShapes.Count;
        var lastUse = new int[values];
        Array.Fill(lastUse, -1);
        for (int s = 0; s < steps.Count; s++)
            foreach (int v in steps[s].Inputs) lastUse[v] = s;
        foreach (int v in outputValues) lastUse[v] = int.MaxValue;

        var bufferOf = new int[values];
        Array.Fill(bufferOf, -1);
        var capacity = new List<long>();
        var free = new List<int>();
        for (int s = 0; s < steps.Count; s++)
        {
            var step = steps[s];
            long size = valueShapes[step.Output].Size;
            int buffer = -1;
            if (step.CanRunInPlace)
            {
                int dying = Array.FindIndex(step.Inputs, v => lastUse[v] == s && bufferOf[v] >= 0 && valueShapes[v].Size == size
                                                              && step.Inputs.Count(u => u == v) == 1);
                if (dying > 0 && step.InputsCommute) (step.Inputs[0], step.Inputs[dying]) = (step.Inputs[dying], step.Inputs[0]);
                if (dying == 0 || (dying > 0 && step.InputsCommute)) buffer = bufferOf[step.Inputs[0]];
            }
            if (buffer < 0)
            {
                buffer = BestFit(free, capacity, size);
                if (buffer < 0)
                {
                    buffer = capacity.Count;
                    capacity.Add(size);
                }
                else free.Remove(buffer);
                capacity[buffer] = Math.Max(capacity[buffer], size);
            }
            bufferOf[step.Output] = buffer;
            // Inputs that die here give their buffers back, except the one the output took over.
            foreach (int v in step.Inputs.Distinct())
                if (lastUse[v] == s && bufferOf[v] >= 0 && bufferOf[v] != buffer) free.Add(bufferOf[v]);
            if (lastUse[step.Output] < 0) free.Add(buffer); // nobody reads it (a dead branch)
        }
        return new InferencePlanMemory(bufferOf, capacity.ToArray());
    }

    private static int BestFit(List<int> free, List<long> capacity, long size)
    {
        int best = -1;
        foreach (int b in free)
        {
            bool fits = capacity[b] >= size;
            if (best < 0) { best = b; continue; }
            bool bestFits = capacity[best] >= size;
            // The smallest buffer that fits; otherwise the largest, which grows least.
            if (fits && (!bestFits || capacity[b] < capacity[best])) best = b;
            else if (!fits && !bestFits && capacity[b] > capacity[best]) best = b;
        }
        return best;
    }
}
