using System.Runtime.CompilerServices;

namespace Octopus.Mqtt;

/// <summary>Room on the stack for the values of a template's render-time keywords, so rendering allocates only the topic.</summary>
[InlineArray(Capacity)]
internal struct KeywordValues
{
    /// <summary>Templates with more render-time keywords than this use an array instead.</summary>
    public const int Capacity = 8;

    private string? _element;
}
