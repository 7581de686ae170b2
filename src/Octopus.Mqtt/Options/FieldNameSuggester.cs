namespace Octopus.Mqtt;

/// <summary>Finds the known field closest to an unknown one, by edit distance ignoring case.</summary>
internal static class FieldNameSuggester
{
    /// <summary>Returns the closest candidate, or <see langword="null"/> when none is close enough to be a likely typo.</summary>
    /// <param name="name">The unknown name.</param>
    /// <param name="candidates">The known names, in order of preference for ties.</param>
    /// <returns>The suggestion, or <see langword="null"/>.</returns>
    public static string? Suggest(string name, IEnumerable<string> candidates)
    {
        // A typo changes a few characters: allow one edit in three, and at least two.
        var limit = Math.Max(2, name.Length / 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(name, candidate);
            if (distance <= limit && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>The Levenshtein distance between two strings, ignoring case.</summary>
    /// <param name="a">The first string.</param>
    /// <param name="b">The second string.</param>
    /// <returns>The least number of insertions, deletions and substitutions that turn one into the other.</returns>
    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
