using System;
using System.Text;

namespace LeadTools.Core.Text
{
    /// <summary>
    /// Windows-1252 ("ANSI", what Excel and Data Loader on Windows write). .NET Core only has it through the
    /// System.Text.Encoding.CodePages provider; this small table keeps the module free of that dependency.
    /// </summary>
    public sealed class Windows1252Encoding : Encoding
    {
        // 0x80-0x9F; the rest of the code page equals Latin-1. 0xFFFD marks the five undefined bytes.
        private static readonly char[] High =
        {
            '\u20AC', '\uFFFD', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021', '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\uFFFD', '\u017D', '\uFFFD',
            '\uFFFD', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014', '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\uFFFD', '\u017E', '\u0178',
        };

        /// <summary>The shared instance.</summary>
        public static readonly Windows1252Encoding Instance = new Windows1252Encoding();

        /// <inheritdoc />
        public override string WebName => "windows-1252";

        /// <inheritdoc />
        public override string EncodingName => "Western European (Windows)";

        /// <inheritdoc />
        public override int GetByteCount(char[] chars, int index, int count) => count;

        /// <inheritdoc />
        public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex)
        {
            for (var i = 0; i < charCount; i++)
            {
                var c = chars[charIndex + i];
                bytes[byteIndex + i] = Encode(c);
            }
            return charCount;
        }

        /// <inheritdoc />
        public override int GetCharCount(byte[] bytes, int index, int count) => count;

        /// <inheritdoc />
        public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex)
        {
            for (var i = 0; i < byteCount; i++)
            {
                var b = bytes[byteIndex + i];
                chars[charIndex + i] = b >= 0x80 && b <= 0x9F ? High[b - 0x80] : (char)b;
            }
            return byteCount;
        }

        /// <inheritdoc />
        public override int GetMaxByteCount(int charCount) => charCount;

        /// <inheritdoc />
        public override int GetMaxCharCount(int byteCount) => byteCount;

        private static byte Encode(char c)
        {
            if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) return (byte)c;
            var i = Array.IndexOf(High, c);
            return i >= 0 && c != '\uFFFD' ? (byte)(0x80 + i) : (byte)'?';
        }
    }

    /// <summary>Encodings by the names users type (<c>-Encoding utf8</c>, <c>windows-1252</c>, <c>ansi</c>, <c>latin1</c>, <c>utf16</c>...).</summary>
    public static class TextEncodings
    {
        /// <summary>UTF-8 that refuses invalid bytes, so a mis-encoded file is reported rather than silently garbled.</summary>
        public static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>UTF-8 without a byte-order mark, for writing.</summary>
        public static readonly Encoding Utf8NoBom = new UTF8Encoding(false);

        /// <summary>Names accepted by <see cref="Parse"/>.</summary>
        public static readonly string[] Names = { "utf8", "utf8BOM", "windows1252", "latin1", "utf16", "utf16BE", "ascii" };

        /// <summary>The encoding a name denotes; throws <see cref="ArgumentException"/> naming the valid ones.</summary>
        public static Encoding Parse(string name)
        {
            switch (name.Replace("-", string.Empty).Replace("_", string.Empty).ToLowerInvariant())
            {
                case "utf8":
                case "utf8nobom":
                    return StrictUtf8;
                case "utf8bom":
                    return new UTF8Encoding(true, true);
                case "windows1252":
                case "cp1252":
                case "ansi":
                case "default":
                    return Windows1252Encoding.Instance;
                case "latin1":
                case "iso88591":
                    return Encoding.GetEncoding(28591);
                case "utf16":
                case "unicode":
                case "utf16le":
                    return Encoding.Unicode;
                case "utf16be":
                case "bigendianunicode":
                    return Encoding.BigEndianUnicode;
                case "ascii":
                    return Encoding.ASCII;
                default:
                    throw new ArgumentException($"Unknown encoding '{name}'. Use one of: {string.Join(", ", Names)}.");
            }
        }
    }
}
