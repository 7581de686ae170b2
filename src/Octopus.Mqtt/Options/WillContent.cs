namespace Octopus.Mqtt;

/// <summary>Decodes the will's content: base64, standard or URL-safe, padded or not.</summary>
internal static class WillContent
{
    internal const string Allowed = "base64 (standard or URL-safe, padded or not)";

    public static bool TryDecode(string text, out byte[] bytes)
    {
        var chars = new List<char>(text.Length + 3);
        foreach (var c in text)
        {
            switch (c)
            {
                case '-':
                    chars.Add('+');
                    break;
                case '_':
                    chars.Add('/');
                    break;
                case ' ' or '\t' or '\r' or '\n':
                    break;
                default:
                    chars.Add(c);
                    break;
            }
        }

        while (chars.Count > 0 && chars[^1] == '=')
        {
            chars.RemoveAt(chars.Count - 1);
        }

        if (chars.Count % 4 == 1)
        {
            bytes = [];
            return false;
        }

        while (chars.Count % 4 != 0)
        {
            chars.Add('=');
        }

        var buffer = new byte[chars.Count / 4 * 3];
        if (!Convert.TryFromBase64Chars(chars.ToArray(), buffer, out var written))
        {
            bytes = [];
            return false;
        }

        bytes = buffer[..written];
        return true;
    }
}
