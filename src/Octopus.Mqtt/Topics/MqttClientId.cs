using System.Security.Cryptography;
using System.Text;

namespace Octopus.Mqtt;

/// <summary>
/// The MQTT client IDs of the Octopus MQTT extension, derived from the DeviceLink's UID: brokers key persistent
/// sessions and ACLs on them, so they match the Go implementation wherever it gives a usable ID.
/// </summary>
public static class MqttClientId
{
    /// <summary>The prefix of every client ID.</summary>
    private const string Prefix = "octopus-";

    /// <summary>The longest client ID MQTT 3.1 accepts.</summary>
    private const int Mqtt31MaxLength = 23;

    // Octopus keeps 32 - 17 = 15 UID characters for MQTT 3.1, walking a ring of the 36 characters of a UUID.
    private const int UuidLength = 36;
    private const int RemovedCount = 17;
    private const int Mqtt31UidLength = Mqtt31MaxLength - 8;
    private const int HyphenatedUuidDigits = 32;

    /// <summary>Creates the client ID for MQTT 3.1.1 and 5.0: <c>octopus-</c> followed by the UID without hyphens.</summary>
    /// <param name="uid">The DeviceLink's UID; <see langword="null"/> is read as empty.</param>
    /// <returns>
    /// <c>octopus-</c> and the UID's characters other than <c>-</c>, unchanged: 40 characters for a UUID,
    /// <c>octopus-</c> alone for an empty UID.
    /// </returns>
    public static string Create(string? uid) =>
        Prefix + (uid ?? string.Empty).Replace("-", string.Empty, StringComparison.Ordinal);

    /// <summary>
    /// Creates the client ID for MQTT 3.1, which allows at most 23 characters: <c>octopus-</c> followed by at
    /// most 15 characters, never an exception and never more than 23 characters.
    /// </summary>
    /// <param name="uid">The DeviceLink's UID; <see langword="null"/> is read as empty.</param>
    /// <returns>
    /// <list type="number">
    /// <item>A UID of 36 printable ASCII characters of which 17 to 32 are not <c>-</c> (every UUID): the Octopus ring
    /// removal, exactly. Starting at position 0, 17 times: skip forward over <c>-</c>, remove the character there,
    /// then move forward by its offset (<c>0</c>–<c>9</c> are 1–10, <c>a</c>–<c>f</c> and <c>A</c>–<c>F</c> are
    /// 11–16, anything else 0), modulo 36; finally drop the hyphens. A UUID keeps 15 characters.</item>
    /// <item>Otherwise, a UID whose characters other than <c>-</c> are at most 15 printable ASCII characters: those
    /// characters (so an empty UID, or one of only hyphens, gives <c>octopus-</c>).</item>
    /// <item>Otherwise: the first 15 lowercase hexadecimal digits of the SHA-256 of the UID in UTF-8.</item>
    /// </list>
    /// </returns>
    public static string CreateForMqtt31(string? uid)
    {
        uid ??= string.Empty;
        if (uid.Length == UuidLength && IsPrintableAscii(uid))
        {
            var digits = UuidLength - uid.AsSpan().Count('-');
            if (digits is >= RemovedCount and <= HyphenatedUuidDigits)
            {
                return Prefix + RemoveOnRing(uid);
            }
        }

        var stripped = uid.Replace("-", string.Empty, StringComparison.Ordinal);
        if (stripped.Length <= Mqtt31UidLength && IsPrintableAscii(stripped))
        {
            return Prefix + stripped;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(uid));
        return Prefix + Convert.ToHexStringLower(hash)[..Mqtt31UidLength];
    }

    /// <summary>The Octopus ring removal over a 36-character UID with at least 17 characters that are not <c>-</c>.</summary>
    private static string RemoveOnRing(string uid)
    {
        Span<char> ring = stackalloc char[UuidLength];
        uid.AsSpan().CopyTo(ring);
        var position = 0;
        for (var removed = 0; removed < RemovedCount; removed++)
        {
            while (ring[position] == '-')
            {
                position = (position + 1) % UuidLength;
            }

            var removedChar = ring[position];
            ring[position] = '-';
            position = (position + Offset(removedChar)) % UuidLength;
        }

        Span<char> kept = stackalloc char[UuidLength];
        var length = 0;
        foreach (var c in ring)
        {
            if (c != '-')
            {
                kept[length++] = c;
            }
        }

        return new string(kept[..length]);
    }

    private static int Offset(char c) => c switch
    {
        >= '0' and <= '9' => c - '0' + 1,
        >= 'a' and <= 'f' => c - 'a' + 11,
        >= 'A' and <= 'F' => c - 'A' + 11,
        _ => 0,
    };

    private static bool IsPrintableAscii(string text)
    {
        foreach (var c in text)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
