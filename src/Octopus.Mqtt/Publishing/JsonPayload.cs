using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Octopus.Mqtt;

/// <summary>
/// Turns a published value into its payload: bytes as they are, anything else as UTF-8 JSON written straight into a
/// pooled array (one <see cref="Utf8JsonWriter"/> per thread, reused).
/// </summary>
/// <remarks>
/// Strings are escaped as Go's <c>encoding/json</c> escapes them (<see cref="GoJsonEncoder"/>), unless the serializer
/// options name an encoder of their own: the writer carries the encoder, so values and dictionary keys written through a
/// source-generated <see cref="JsonTypeInfo{T}"/> come out as Go writes them too. (Property names declared on a type are
/// escaped once, by the type information's own options: names with <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> or non-ASCII
/// characters keep System.Text.Json's escaping on that path.)
/// </remarks>
internal static class JsonPayload
{
    [ThreadStatic]
    private static PooledBufferWriter? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static JsonSerializerOptions? t_writerOptionsSource;

    /// <summary>Gets the payload of a value that is already bytes: a byte array, <see cref="ReadOnlyMemory{T}"/>, <see cref="Memory{T}"/> or <see cref="ArraySegment{T}"/> of bytes.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="payload">A copy of the bytes in a pooled array.</param>
    /// <returns><see langword="true"/> when the value is bytes.</returns>
    public static bool TryCopyBytes<T>(T value, out PayloadBuffer payload)
    {
        if (typeof(T) == typeof(ReadOnlyMemory<byte>))
        {
            payload = PayloadBuffer.Copy(Unsafe.As<T, ReadOnlyMemory<byte>>(ref value).Span);
            return true;
        }

        if (typeof(T) == typeof(Memory<byte>))
        {
            payload = PayloadBuffer.Copy(Unsafe.As<T, Memory<byte>>(ref value).Span);
            return true;
        }

        if (typeof(T) == typeof(ArraySegment<byte>))
        {
            payload = PayloadBuffer.Copy(Unsafe.As<T, ArraySegment<byte>>(ref value).AsSpan());
            return true;
        }

        if (!typeof(T).IsValueType && value is byte[] bytes)
        {
            payload = PayloadBuffer.Copy(bytes);
            return true;
        }

        if (typeof(T) == typeof(byte[]))
        {
            // A null array: an empty payload, as Go sends a nil []byte.
            payload = new PayloadBuffer([], 0);
            return true;
        }

        payload = default;
        return false;
    }

    /// <summary>Serialises <paramref name="value"/> with source-generated (or resolved) metadata.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">The metadata.</param>
    /// <returns>The UTF-8 JSON in a pooled array.</returns>
    public static PayloadBuffer Serialize<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var buffer = t_buffer ??= new PooledBufferWriter();
        var writer = GetWriter(buffer, typeInfo.Options);
        try
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
            writer.Flush();
            return buffer.Detach();
        }
        catch
        {
            buffer.Reset();
            throw;
        }
        finally
        {
            writer.Reset(buffer);
        }
    }

    /// <summary>Serialises <paramref name="value"/> with reflection-based metadata.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="options">The serializer options, or <see langword="null"/> for <see cref="JsonSerializerOptions.Web"/>; without an encoder of their own, Go's is used.</param>
    /// <returns>The UTF-8 JSON in a pooled array.</returns>
    [RequiresUnreferencedCode("JSON serialisation of an arbitrary type may need types the trimmer removes.")]
    [RequiresDynamicCode("JSON serialisation of an arbitrary type may need runtime code generation.")]
    public static PayloadBuffer Serialize<T>(T value, JsonSerializerOptions? options)
    {
        options = GoJsonOptions.For(options);
        var buffer = t_buffer ??= new PooledBufferWriter();
        var writer = GetWriter(buffer, options);
        try
        {
            JsonSerializer.Serialize(writer, value, options);
            writer.Flush();
            return buffer.Detach();
        }
        catch
        {
            buffer.Reset();
            throw;
        }
        finally
        {
            writer.Reset(buffer);
        }
    }

    private static Utf8JsonWriter GetWriter(PooledBufferWriter buffer, JsonSerializerOptions options)
    {
        if (t_writer is { } writer && ReferenceEquals(t_writerOptionsSource, options))
        {
            writer.Reset(buffer);
            return writer;
        }

        t_writer?.Dispose();
        t_writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Encoder = options.Encoder ?? GoJsonEncoder.Instance,
            Indented = options.WriteIndented,
            IndentCharacter = options.IndentCharacter,
            IndentSize = options.IndentSize,
            NewLine = options.NewLine,
            MaxDepth = options.MaxDepth,
        });
        t_writerOptionsSource = options;
        return t_writer;
    }
}
