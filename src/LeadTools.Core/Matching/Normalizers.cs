using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace LeadTools.Core.Matching
{
    /// <summary>
    /// Normalisers for matching (SPEC 6.1). Each returns an empty string for a blank value, never null, so
    /// comparators can treat blank uniformly.
    /// </summary>
    public static class Normalizers
    {
        /// <summary>Email: trimmed, lower case; with <paramref name="gmailRules"/>, dots and +tags dropped for gmail.com/googlemail.com.</summary>
        public static string Email(string? value, bool gmailRules = false)
        {
            if (string.IsNullOrWhiteSpace(value)) return string.Empty;
            var e = value!.Trim().ToLowerInvariant();
            if (!gmailRules) return e;
            var at = e.LastIndexOf('@');
            if (at <= 0) return e;
            var local = e.Substring(0, at);
            var domain = e.Substring(at + 1);
            if (domain != "gmail.com" && domain != "googlemail.com") return e;
            var plus = local.IndexOf('+');
            if (plus >= 0) local = local.Substring(0, plus);
            return local.Replace(".", string.Empty) + "@gmail.com";
        }

        /// <summary>
        /// Phone to E.164-like digits: keeps digits (a leading + or 00 marks an international number); a national
        /// number gets <paramref name="defaultCountryCode"/> (trunk 0 dropped; a leading 1 for NANP); extensions dropped.
        /// Returns "+" followed by digits, or empty when there are fewer than 4 digits.
        /// </summary>
        public static string Phone(string? value, string defaultCountryCode = "1")
        {
            if (string.IsNullOrWhiteSpace(value)) return string.Empty;
            if (IsE164(value!)) return value!; // already normalised: the same text, not a copy (a million phones are kept)
            var s = value!.Trim();
            var cut = IndexOfExtension(s);
            if (cut >= 0) s = s.Substring(0, cut);
            var sb = new StringBuilder(s.Length + 4);
            var international = false;
            for (var i = 0; i < s.Length; i++)
            {
                var c = s[i];
                if (c >= '0' && c <= '9') sb.Append(c);
                else if (c == '+' && sb.Length == 0) international = true;
            }
            if (sb.Length < 4) return string.Empty;
            var digits = sb.ToString();
            if (!international && digits.StartsWith("00", StringComparison.Ordinal)) { international = true; digits = digits.Substring(2); }
            if (!international)
            {
                if (defaultCountryCode == "1")
                {
                    if (digits.Length == 11 && digits[0] == '1') digits = digits.Substring(1);
                }
                else if (digits[0] == '0') digits = digits.Substring(1);
                digits = defaultCountryCode + digits;
            }
            return "+" + digits;
        }

        private static bool IsE164(string s)
        {
            if (s.Length < 5 || s[0] != '+') return false;
            for (var i = 1; i < s.Length; i++) if (s[i] < '0' || s[i] > '9') return false;
            return true;
        }

        private static int IndexOfExtension(string s)
        {
            var lower = s.ToLowerInvariant();
            foreach (var marker in new[] { " ext", "ext.", "x", "#" })
            {
                var i = lower.IndexOf(marker, StringComparison.Ordinal);
                if (i > 0) return i;
            }
            return -1;
        }

        /// <summary>
        /// A government person identifier (national id, social security number): letters and digits only, lower case,
        /// separators dropped (123-45-6789 and 123456789 are one id). Blank for what cannot identify anyone: fewer than 4
        /// characters, one character repeated (000000000) or a run of consecutive digits (123456789, 987654321).
        /// </summary>
        public static string NationalId(string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) return string.Empty;
            var sb = new StringBuilder(value!.Length);
            foreach (var ch in value!)
            {
                if (ch < 128 ? (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') : char.IsLetterOrDigit(ch)) sb.Append(char.ToLowerInvariant(ch));
            }
            if (sb.Length < 4) return string.Empty;
            bool repeated = true, up = true, down = true;
            for (var i = 1; i < sb.Length; i++)
            {
                if (sb[i] != sb[0]) repeated = false;
                if (sb[i] != sb[i - 1] + 1 && !(sb[i - 1] == '9' && sb[i] == '0')) up = false;
                if (sb[i] != sb[i - 1] - 1 && !(sb[i - 1] == '0' && sb[i] == '9')) down = false;
            }
            var digits = true;
            for (var i = 0; i < sb.Length; i++) if (sb[i] < '0' || sb[i] > '9') digits = false;
            return repeated || (digits && (up || down)) ? string.Empty : sb.ToString();
        }

        /// <summary>Letters and digits only, lower case, accents removed, other characters become single spaces.</summary>
        public static string Text(string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) return string.Empty;
            var ascii = AsciiText(value!);
            if (ascii != null) return ascii;
            var decomposed = value!.Normalize(NormalizationForm.FormD);
            var sb = new StringBuilder(decomposed.Length);
            var space = false;
            foreach (var ch in decomposed)
            {
                var cat = CharUnicodeInfo.GetUnicodeCategory(ch);
                if (cat == UnicodeCategory.NonSpacingMark) continue;
                if (ch == '\'' || ch == '\u2019') continue; // O'Brien -> obrien
                if (char.IsLetterOrDigit(ch))
                {
                    if (space && sb.Length > 0) sb.Append(' ');
                    space = false;
                    sb.Append(Fold(char.ToLowerInvariant(ch)));
                }
                else space = true;
            }
            return sb.ToString();
        }

        // The common case (plain ASCII): the same result as the general path, without Unicode decomposition and
        // without a string per character; already-normalised values are returned as they are.
        private static string? AsciiText(string value)
        {
            var clean = true;
            foreach (var ch in value)
            {
                if (ch >= 0x80) return null;
                if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == ' ')) clean = false;
            }
            if (clean && value[0] != ' ' && value[value.Length - 1] != ' ' && value.IndexOf("  ", StringComparison.Ordinal) < 0) return value;
            var buffer = new char[value.Length];
            var n = 0;
            var space = false;
            foreach (var ch in value)
            {
                if (ch == '\'') continue;
                var c = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
                if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                {
                    if (space && n > 0) buffer[n++] = ' ';
                    space = false;
                    buffer[n++] = c;
                }
                else space = true;
            }
            return new string(buffer, 0, n);
        }

        private static string Fold(char c) => c switch
        {
            'ß' => "ss",
            'æ' => "ae",
            'ø' => "o",
            'œ' => "oe",
            'ł' => "l",
            'đ' => "d",
            _ => c.ToString(),
        };

        /// <summary>A person name: <see cref="Text"/> (case, accents, punctuation).</summary>
        public static string PersonName(string? value) => Text(value);

        /// <summary>The canonical first name: a known nickname maps to its formal name (Bob -> robert).</summary>
        public static string CanonicalFirstName(string? value)
        {
            var n = Text(value);
            return Nicknames.Canonical(n);
        }

        private static readonly HashSet<string> LegalSuffixes = new HashSet<string>(StringComparer.Ordinal)
        {
            "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corp", "corporation", "co", "company",
            "gmbh", "ag", "sa", "sas", "sarl", "bv", "nv", "plc", "pty", "pte", "srl", "spa", "oy", "ab", "as",
            "kg", "se", "kk", "pvt", "sl", "cv", "mbh", "ug",
        };

        /// <summary>Company: <see cref="Text"/>, a leading "the" and trailing legal suffixes (Inc, LLC, GmbH, Ltd, ...) removed; "&amp;" -> "and".</summary>
        public static string Company(string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) return string.Empty;
            var t = Text(value!.Replace("&", " and "));
            var words = new List<string>(t.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries));
            if (words.Count > 1 && words[0] == "the") words.RemoveAt(0);
            while (words.Count > 1 && LegalSuffixes.Contains(words[words.Count - 1])) words.RemoveAt(words.Count - 1);
            return string.Join(" ", words);
        }

        private static readonly Dictionary<string, string> StreetWords = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["street"] = "st", ["str"] = "st", ["avenue"] = "ave", ["av"] = "ave", ["road"] = "rd", ["drive"] = "dr",
            ["boulevard"] = "blvd", ["lane"] = "ln", ["court"] = "ct", ["place"] = "pl", ["square"] = "sq",
            ["terrace"] = "ter", ["highway"] = "hwy", ["parkway"] = "pkwy", ["circuit"] = "cct", ["crescent"] = "cres",
            ["north"] = "n", ["south"] = "s", ["east"] = "e", ["west"] = "w", ["suite"] = "ste", ["apartment"] = "apt",
            ["unit"] = "unit", ["floor"] = "fl",
        };

        /// <summary>Street: <see cref="Text"/> with common words abbreviated (Street -> st, Avenue -> ave, North -> n).</summary>
        public static string Street(string? value)
        {
            var t = Text(value);
            if (t.Length == 0) return t;
            var words = t.Split(' ');
            for (var i = 0; i < words.Length; i++)
                if (StreetWords.TryGetValue(words[i], out var a)) words[i] = a;
            return string.Join(" ", words);
        }

        /// <summary>Postal code: letters and digits only, upper case (SW1A 1AA -> SW1A1AA); a US ZIP+4 keeps its first 5 digits.</summary>
        public static string PostalCode(string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) return string.Empty;
            var sb = new StringBuilder();
            foreach (var c in value!) if (char.IsLetterOrDigit(c)) sb.Append(char.ToUpperInvariant(c));
            var s = sb.ToString();
            if (s.Length == 9 && IsDigits(s) && value!.Contains("-")) s = s.Substring(0, 5);
            return s;
        }

        private static bool IsDigits(string s)
        {
            foreach (var c in s) if (c < '0' || c > '9') return false;
            return true;
        }
    }
}
