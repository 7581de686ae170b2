using System.Collections;
using System.Text;

namespace Octopus.Mqtt;

/// <summary>
/// Resolves references from memory, shaped like a DeviceLink's references map: reference name → item → bytes. For
/// hosts that receive the references together with the DeviceLink, and for tests.
/// </summary>
/// <remarks>
/// <para>
/// Names and items are case-sensitive, as in Kubernetes. Values are copied in and out, so the caller may clear its
/// buffers. A stored empty value resolves to <see langword="null"/> ("not found"), as every resolver does.
/// </para>
/// <para>Safe to use from several threads: a change is seen by the next <see cref="ResolveAsync"/>.</para>
/// <code>
/// var references = new InMemoryReferenceResolver
/// {
///     { "mqtt-secret", "username", "admin" },
///     { "mqtt-secret", "password", "s3cret" },
///     { "mqtt-ca", "ca.crt", caPemBytes },
/// };
/// </code>
/// </remarks>
public sealed class InMemoryReferenceResolver : IReferenceResolver, IEnumerable<KeyValuePair<string, IReadOnlyDictionary<string, byte[]>>>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, byte[]>> _references = new(StringComparer.Ordinal);

    /// <summary>Sets an item of a reference to a copy of <paramref name="value"/>, adding the reference if needed.</summary>
    /// <param name="name">The name of the reference.</param>
    /// <param name="item">The key of the item inside the reference.</param>
    /// <param name="value">The value's bytes.</param>
    public void Add(string name, string item, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Set(name, item, (byte[])value.Clone());
    }

    /// <summary>Sets an item of a reference to the UTF-8 bytes of <paramref name="value"/>, adding the reference if needed.</summary>
    /// <param name="name">The name of the reference.</param>
    /// <param name="item">The key of the item inside the reference.</param>
    /// <param name="value">The value, stored as UTF-8.</param>
    public void Add(string name, string item, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Set(name, item, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Sets every item of <paramref name="items"/> in the reference named <paramref name="name"/>, as a Secret's data map.</summary>
    /// <param name="name">The name of the reference.</param>
    /// <param name="items">The items and their bytes.</param>
    public void Add(string name, IEnumerable<KeyValuePair<string, byte[]>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var (item, value) in items)
        {
            Add(name, item, value);
        }
    }

    /// <summary>Sets every item of <paramref name="items"/> in the reference named <paramref name="name"/>, as a ConfigMap's data map.</summary>
    /// <param name="name">The name of the reference.</param>
    /// <param name="items">The items and their values, stored as UTF-8.</param>
    public void Add(string name, IEnumerable<KeyValuePair<string, string>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var (item, value) in items)
        {
            Add(name, item, value);
        }
    }

    /// <summary>Removes a whole reference.</summary>
    /// <param name="name">The name of the reference.</param>
    /// <returns><see langword="true"/> when the reference was there.</returns>
    public bool Remove(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            return _references.Remove(name);
        }
    }

    /// <summary>Removes one item of a reference.</summary>
    /// <param name="name">The name of the reference.</param>
    /// <param name="item">The key of the item inside the reference.</param>
    /// <returns><see langword="true"/> when the item was there.</returns>
    public bool Remove(string name, string item)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(item);
        lock (_lock)
        {
            return _references.TryGetValue(name, out var items) && items.Remove(item);
        }
    }

    /// <summary>Removes every reference.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _references.Clear();
        }
    }

    /// <inheritdoc />
    public ValueTask<byte[]?> ResolveAsync(string name, string item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(item);
        cancellationToken.ThrowIfCancellationRequested();
        byte[]? found = null;
        lock (_lock)
        {
            if (_references.TryGetValue(name, out var items) && items.TryGetValue(item, out var value) && value.Length > 0)
            {
                found = (byte[])value.Clone();
            }
        }

        return new ValueTask<byte[]?>(found);
    }

    /// <summary>Returns a copy of the references, each with a copy of its items.</summary>
    /// <returns>The references by name.</returns>
    public IEnumerator<KeyValuePair<string, IReadOnlyDictionary<string, byte[]>>> GetEnumerator()
    {
        var snapshot = new List<KeyValuePair<string, IReadOnlyDictionary<string, byte[]>>>();
        lock (_lock)
        {
            foreach (var (name, items) in _references)
            {
                var copy = new Dictionary<string, byte[]>(items.Count, StringComparer.Ordinal);
                foreach (var (item, value) in items)
                {
                    copy[item] = (byte[])value.Clone();
                }

                snapshot.Add(new(name, copy));
            }
        }

        return snapshot.GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void Set(string name, string item, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(item);
        lock (_lock)
        {
            if (!_references.TryGetValue(name, out var items))
            {
                items = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                _references.Add(name, items);
            }

            items[item] = value;
        }
    }
}
