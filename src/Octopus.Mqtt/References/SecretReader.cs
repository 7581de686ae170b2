namespace Octopus.Mqtt;

/// <summary>Reads one option that is a literal or a reference: the literal wins; the reference is read only when the literal is empty.</summary>
internal static class SecretReader
{
    /// <summary>
    /// Returns the literal, else the reference's item, else <see langword="null"/> when neither is set. A reference that
    /// is set but not found, or whose store fails, is an error.
    /// </summary>
    /// <param name="literal">The literal value of the option.</param>
    /// <param name="reference">The option's <c>…Ref</c>.</param>
    /// <param name="literalPath">The literal's option path; the reference's path is this plus <c>Ref</c>.</param>
    /// <param name="resolver">The resolver, or <see langword="null"/> when the host has none.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async ValueTask<SecretValue?> ReadAsync(
        string? literal,
        DeviceLinkReference? reference,
        string literalPath,
        IReferenceResolver? resolver,
        CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(literal))
        {
            return SecretValue.FromLiteral(literalPath, literal);
        }

        if (reference is null)
        {
            return null;
        }

        var path = literalPath + "Ref";
        var name = reference.Name;
        var item = reference.Item;
        if (string.IsNullOrEmpty(name))
        {
            throw new MqttCredentialsException(path + ".name", null, null, $"{path}.name: is empty; a reference needs a name and an item", null);
        }

        if (string.IsNullOrEmpty(item))
        {
            throw new MqttCredentialsException(path + ".item", name, null, $"{path}.item: is empty for reference \"{name}\"; a reference needs a name and an item", null);
        }

        var value = await ReadReferenceAsync(path, name, item, resolver, cancellationToken).ConfigureAwait(false)
            ?? throw new MqttCredentialsException(path, name, item, $"{path}: reference \"{name}\" has no item \"{item}\" (or it is empty)", null);

        return SecretValue.FromReference(path, name, item, value);
    }

    /// <summary>
    /// Reads a reference's item. A missing resolver (none given, or a device's current resolver with none set) and a
    /// failing store are errors naming the field; a reference or item that is not found, or empty, is <see langword="null"/>.
    /// </summary>
    /// <param name="path">The path of the <c>…Ref</c> field.</param>
    /// <param name="name">The reference's name.</param>
    /// <param name="item">The reference's item.</param>
    /// <param name="resolver">The resolver, or <see langword="null"/> when the host has none.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The value, or <see langword="null"/> when not found; the caller owns (and clears) it.</returns>
    /// <exception cref="MqttCredentialsException">No resolver is configured, or the store failed.</exception>
    public static async ValueTask<byte[]?> ReadReferenceAsync(string path, string name, string item, IReferenceResolver? resolver, CancellationToken cancellationToken)
    {
        if (resolver is null or CurrentReferenceResolver { Target: null })
        {
            throw new MqttCredentialsException(path, name, item, $"{path}: reference \"{name}\" item \"{item}\" cannot be read: no reference resolver is configured", null);
        }

        byte[]? value;
        try
        {
            value = await resolver.ResolveAsync(name, item, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            throw new MqttCredentialsException(path, name, item, $"{path}: reading reference \"{name}\" item \"{item}\" failed: {exception.Message}", exception);
        }

        return value is { Length: > 0 } ? value : null;
    }
}
