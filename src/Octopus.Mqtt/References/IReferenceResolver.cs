namespace Octopus.Mqtt;

/// <summary>
/// Reads one item of one of a DeviceLink's references (a Secret, a ConfigMap, a downward-API source), as the
/// <c>*Ref</c> fields of the options point at them.
/// </summary>
/// <remarks>
/// "Not found" (the reference is missing, the item is missing, or its value is empty) is an answer, not a failure:
/// it is returned as <see langword="null"/>. An exception means the store itself failed (an unreadable directory, a
/// configuration provider that threw) and is passed on to the caller.
/// </remarks>
public interface IReferenceResolver
{
    /// <summary>Reads the value of <paramref name="item"/> in the reference named <paramref name="name"/>.</summary>
    /// <param name="name">The name of the reference.</param>
    /// <param name="item">The key of the item inside the reference.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The value's bytes, or <see langword="null"/> when the reference, the item or a non-empty value is not there.</returns>
    ValueTask<byte[]?> ResolveAsync(string name, string item, CancellationToken cancellationToken = default);
}
