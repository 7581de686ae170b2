using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Octopus.Mqtt;

/// <summary>
/// Serializer options that write strings as Go does (<see cref="GoJsonEncoder"/>): <see cref="JsonSerializerOptions.Web"/>
/// for the default, and for options without an encoder of their own a copy with it, made once per options instance.
/// </summary>
internal static class GoJsonOptions
{
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> Copies = [];

    private static JsonSerializerOptions? s_web;

    /// <summary>Returns the options to serialise with: <paramref name="options"/> when it names an encoder, else its copy with Go's.</summary>
    /// <param name="options">The caller's options, or <see langword="null"/> for <see cref="JsonSerializerOptions.Web"/>.</param>
    /// <returns>The options.</returns>
    [RequiresUnreferencedCode("JSON serialisation of an arbitrary type may need types the trimmer removes.")]
    [RequiresDynamicCode("JSON serialisation of an arbitrary type may need runtime code generation.")]
    public static JsonSerializerOptions For(JsonSerializerOptions? options)
    {
        if (options is null)
        {
            return s_web ??= new JsonSerializerOptions(JsonSerializerOptions.Web) { Encoder = GoJsonEncoder.Instance };
        }

        return options.Encoder is not null
            ? options
            : Copies.GetValue(options, static o => new JsonSerializerOptions(o) { Encoder = GoJsonEncoder.Instance });
    }
}
