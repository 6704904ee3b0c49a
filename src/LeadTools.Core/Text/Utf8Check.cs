using System.IO;

namespace LeadTools.Core.Text
{
    /// <summary>Finds where a file stops being valid UTF-8, for error messages that point at the right line.</summary>
    public static class Utf8Check
    {
        /// <summary>Line and column (1-based) and value of the first byte that is not valid UTF-8; (0, 0, -1) when the file is valid.</summary>
        public static (long Line, long Column, int Byte) FindFirstInvalid(string path) => Scan(path, false);

        /// <summary>
        /// As <see cref="FindFirstInvalid"/>, but a NUL byte (valid UTF-8, never in text) counts too: its byte value is 0.
        /// </summary>
        public static (long Line, long Column, int Byte) FindFirstInvalidOrNul(string path) => Scan(path, true);

        /// <summary>Line and column (1-based) of the first NUL character of the file decoded with <paramref name="encoding"/> (which
        /// puts NUL for bytes it cannot decode); (0, 0) when there is none.</summary>
        public static (long Line, long Column) FindFirstNulChar(string path, System.Text.Encoding encoding, int skipBytes)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024);
            if (skipBytes > 0) stream.Position = skipBytes;
            using var text = new StreamReader(stream, encoding, false, 64 * 1024);
            var buffer = new char[64 * 1024];
            long line = 1, column = 0;
            int n;
            while ((n = text.Read(buffer, 0, buffer.Length)) > 0)
            {
                for (var i = 0; i < n; i++)
                {
                    var c = buffer[i];
                    if (c == '\0' || c == '\uFFFF') return (line, column + 1);
                    if (c == '\n')
                    {
                        line++;
                        column = 0;
                    }
                    else
                    {
                        column++;
                    }
                }
            }
            return (0, 0);
        }

        private static (long Line, long Column, int Byte) Scan(string path, bool nul)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024);
            long line = 1, column = 0;
            var pending = 0;
            var lead = 0;
            int b;
            var position = 0L;
            while ((b = stream.ReadByte()) >= 0)
            {
                position++;
                if (position <= 3 && (b == 0xEF || b == 0xBB || b == 0xBF) && pending == 0 && position == 1 && b == 0xEF)
                {
                    pending = 2; // byte-order mark
                    continue;
                }
                if (pending > 0)
                {
                    // The sequence's first byte is the one that is wrong (é in Windows-1252 is 0xE9).
                    if ((b & 0xC0) != 0x80) return (line, column, lead);
                    pending--;
                    continue;
                }
                column++;
                if (b == 0 && nul) return (line, column, 0);
                if (b == '\n')
                {
                    line++;
                    column = 0;
                }
                else if (b >= 0x80)
                {
                    lead = b;
                    if ((b & 0xE0) == 0xC0 && b >= 0xC2) pending = 1;
                    else if ((b & 0xF0) == 0xE0) pending = 2;
                    else if ((b & 0xF8) == 0xF0 && b <= 0xF4) pending = 3;
                    else return (line, column, b);
                }
            }
            return pending > 0 ? (line, column, -1) : (0, 0, -1);
        }
    }
}
