using System.Globalization;

namespace Octopus.Mqtt.Tests.Fuzzing;

/// <summary>
/// How many inputs each fuzz target tries. CI runs a small slice; a nightly run sets
/// <c>OCTOPUS_MQTT_FUZZ_ITERATIONS</c> (e.g. 1000000) to try that many per target.
/// </summary>
internal static class FuzzBudget
{
    public const string Variable = "OCTOPUS_MQTT_FUZZ_ITERATIONS";

    /// <summary>The longest one input may take before it counts as a hang.</summary>
    public static readonly TimeSpan PerInput = TimeSpan.FromSeconds(10);

    /// <summary>The number of inputs to try: the variable's value when set, else <paramref name="ci"/>.</summary>
    public static long Iterations(long ci) =>
        long.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : ci;

    /// <summary>
    /// Runs <paramref name="act"/> on the thread pool and fails when it does not finish within <see cref="PerInput"/>,
    /// naming the input, so a hang is a failure rather than a stuck test run.
    /// </summary>
    public static void WithinTimeout(string input, Action act)
    {
        var run = Task.Run(act);
        if (!run.Wait(PerInput))
        {
            throw new TimeoutException($"did not finish within {PerInput}: {Show(input)}");
        }
    }

    /// <summary>Throws unless <paramref name="thrown"/> is one of the documented types.</summary>
    public static void Allow(Exception thrown, string input, params Type[] documented)
    {
        var exception = thrown is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : thrown;
        if (!documented.Any(t => t.IsInstanceOfType(exception)))
        {
            throw new InvalidOperationException($"undocumented {exception.GetType().Name} for {Show(input)}", exception);
        }
    }

    public static void Report(string target, long inputs) =>
        TestContext.Current.TestOutputHelper?.WriteLine($"{target}: {inputs.ToString(CultureInfo.InvariantCulture)} inputs fuzzed");

    private static string Show(string input) =>
        "\"" + string.Concat(input.Take(300).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString())) + "\"";
}
