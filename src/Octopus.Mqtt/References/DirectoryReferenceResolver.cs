namespace Octopus.Mqtt;

/// <summary>
/// Resolves references from files laid out as <c>&lt;root&gt;/&lt;name&gt;/&lt;item&gt;</c>, the way Kubernetes
/// mounts Secret and ConfigMap volumes: mount each reference's volume at <c>&lt;root&gt;/&lt;name&gt;</c>.
/// </summary>
/// <remarks>
/// <para>
/// Every call opens the file again, so a rotated Secret is read fresh. Kubernetes updates a volume by writing a new
/// hidden <c>..&lt;timestamp&gt;</c> directory and renaming the <c>..data</c> symlink onto it; each item is a
/// symlink <c>&lt;item&gt; → ..data/&lt;item&gt;</c>. Opening the item resolves the whole chain at once, so a read
/// sees either the old value or the new one, never a mix; a read that races the removal of the old version is
/// retried once. (A volume mounted with <c>subPath</c> is never updated by
/// Kubernetes.)
/// </para>
/// <para>
/// A missing reference directory, a missing item, an item that is a directory and an empty file are "not found"
/// (<see langword="null"/>). A name or item that is empty, <c>.</c>, starts with <c>..</c> (Kubernetes' own
/// <c>..data</c> and timestamped directories) or contains <c>/</c>, <c>\</c> or NUL could read outside the
/// reference or its current version, and is refused with an <see cref="ArgumentException"/>; Kubernetes does not
/// allow such names or keys either. A missing root directory and an unreadable file are store failures.
/// </para>
/// <code>
/// // volumeMounts: { name: mqtt-secret, mountPath: /etc/octopus/references/mqtt-secret, readOnly: true }
/// var references = new DirectoryReferenceResolver("/etc/octopus/references");
/// </code>
/// </remarks>
public sealed class DirectoryReferenceResolver : IReferenceResolver
{
    /// <summary>Initializes a new instance of the <see cref="DirectoryReferenceResolver"/> class.</summary>
    /// <param name="rootPath">The directory that holds one directory per reference.</param>
    public DirectoryReferenceResolver(string rootPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootPath);
        RootPath = Path.GetFullPath(rootPath);
    }

    /// <summary>Gets the full path of the directory that holds one directory per reference.</summary>
    /// <value>The absolute root path.</value>
    public string RootPath { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="item"/> is not a plain file name.</exception>
    /// <exception cref="DirectoryNotFoundException">The root directory does not exist.</exception>
    public async ValueTask<byte[]?> ResolveAsync(string name, string item, CancellationToken cancellationToken = default)
    {
        ThrowIfNotPlainName(name, "reference name", nameof(name));
        ThrowIfNotPlainName(item, "item", nameof(item));

        var path = Path.Join(RootPath, name, item);
        byte[] value;
        try
        {
            value = await ReadAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException) when (Directory.Exists(RootPath))
        {
            return null;
        }
        catch (DirectoryNotFoundException exception)
        {
            throw new DirectoryNotFoundException($"The reference directory \"{RootPath}\" does not exist.", exception);
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            return null;
        }

        return value.Length > 0 ? value : null;
    }

    private static async Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException) when (new FileInfo(path).LinkTarget is not null)
        {
            // The item is a symlink through ..data: a read that raced the removal of the previous version's directory
            // finds the new version on a second try. A link that stays dangling is "not found".
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void ThrowIfNotPlainName(string value, string what, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);
        if (value.Length == 0 || value == "." || value.StartsWith("..", StringComparison.Ordinal) || value.AsSpan().IndexOfAny('/', '\\', '\0') >= 0)
        {
            throw new ArgumentException(
                $"The {what} \"{value}\" cannot be read from a reference directory: it must not be empty or \".\", start with \"..\", or contain '/', '\\' or NUL.",
                parameterName);
        }
    }
}
