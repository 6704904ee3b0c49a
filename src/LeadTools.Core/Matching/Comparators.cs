using System;

namespace LeadTools.Core.Matching
{
    /// <summary>
    /// String comparators on normalised values, scored 0-100. Written here (small, allocation-light) rather than
    /// taken from F23.StringSimilarity or FuzzySharp: the few functions matching needs are a page of code, and
    /// an extra assembly would have to load into every PowerShell session.
    /// </summary>
    public static class Comparators
    {
        /// <summary>100 when equal, else 0. Blank against anything is 0.</summary>
        public static double Exact(string a, string b) => a.Length > 0 && string.Equals(a, b, StringComparison.Ordinal) ? 100 : 0;

        /// <summary>Jaro-Winkler similarity (prefix scale 0.1, up to 4 characters) on 0-100.</summary>
        public static double JaroWinkler(string a, string b)
        {
            if (a.Length == 0 || b.Length == 0) return 0;
            if (string.Equals(a, b, StringComparison.Ordinal)) return 100;
            var range = Math.Max(0, Math.Max(a.Length, b.Length) / 2 - 1);
            var aMatched = Flags(ref _aFlags, a.Length);
            var bMatched = Flags(ref _bFlags, b.Length);
            var matches = 0;
            for (var i = 0; i < a.Length; i++)
            {
                var lo = Math.Max(0, i - range);
                var hi = Math.Min(b.Length - 1, i + range);
                for (var j = lo; j <= hi; j++)
                {
                    if (bMatched[j] || a[i] != b[j]) continue;
                    aMatched[i] = true;
                    bMatched[j] = true;
                    matches++;
                    break;
                }
            }
            if (matches == 0) return 0;
            var transpositions = 0;
            var k = 0;
            for (var i = 0; i < a.Length; i++)
            {
                if (!aMatched[i]) continue;
                while (!bMatched[k]) k++;
                if (a[i] != b[k]) transpositions++;
                k++;
            }
            double m = matches;
            var jaro = (m / a.Length + m / b.Length + (m - transpositions / 2.0) / m) / 3.0;
            var prefix = 0;
            for (var i = 0; i < Math.Min(4, Math.Min(a.Length, b.Length)) && a[i] == b[i]; i++) prefix++;
            return 100 * (jaro + prefix * 0.1 * (1 - jaro));
        }

        // Per-thread buffers: the comparators run millions of times in duplicate finding and must not allocate.
        [ThreadStatic] private static bool[]? _aFlags;
        [ThreadStatic] private static bool[]? _bFlags;
        [ThreadStatic] private static int[]? _row0;
        [ThreadStatic] private static int[]? _row1;
        [ThreadStatic] private static int[]? _row2;

        private static bool[] Flags(ref bool[]? buffer, int length)
        {
            if (buffer == null || buffer.Length < length) buffer = new bool[Math.Max(length, 64)];
            else Array.Clear(buffer, 0, length);
            return buffer;
        }

        private static int[] Row(ref int[]? buffer, int length)
        {
            if (buffer == null || buffer.Length < length) buffer = new int[Math.Max(length, 64)];
            return buffer;
        }

        /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions, Damerau).</summary>
        public static int DamerauDistance(string a, string b)
        {
            if (a.Length == 0) return b.Length;
            if (b.Length == 0) return a.Length;
            var prev2 = Row(ref _row0, b.Length + 1);
            var prev = Row(ref _row1, b.Length + 1);
            var cur = Row(ref _row2, b.Length + 1);
            for (var j = 0; j <= b.Length; j++) prev[j] = j;
            for (var i = 1; i <= a.Length; i++)
            {
                cur[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    var v = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = Math.Min(v, prev2[j - 2] + 1);
                    cur[j] = v;
                }
                var t = prev2; prev2 = prev; prev = cur; cur = t;
            }
            return prev[b.Length];
        }

        /// <summary>Edit-distance similarity on 0-100: 100 * (1 - distance / longer length).</summary>
        public static double EditSimilarity(string a, string b)
        {
            if (a.Length == 0 || b.Length == 0) return 0;
            var max = Math.Max(a.Length, b.Length);
            return 100.0 * (1.0 - (double)DamerauDistance(a, b) / max);
        }

        /// <summary>100 when one name is the other's initial (Jonathan vs J, "J." after normalising) or both are equal.</summary>
        public static double Initials(string a, string b)
        {
            if (a.Length == 0 || b.Length == 0) return 0;
            if (a == b) return 100;
            if (a.Length == 1 && b[0] == a[0]) return 100;
            if (b.Length == 1 && a[0] == b[0]) return 100;
            return 0;
        }

        /// <summary>100 when the names are nickname variants of each other (Bob vs Robert), else 0.</summary>
        public static double Nickname(string a, string b) => Nicknames.AreVariants(a, b) ? 100 : 0;

        /// <summary>
        /// A first-name score as Salesforce's fuzzy first-name method: the best of Jaro-Winkler, initials and nickname.
        /// </summary>
        public static double FirstName(string a, string b)
        {
            if (Initials(a, b) == 100 || Nickname(a, b) == 100) return 100;
            return JaroWinkler(a, b);
        }

        /// <summary>
        /// A company score: acronyms match their expansions (IBM vs International Business Machines), else the
        /// best of Jaro-Winkler and edit similarity.
        /// </summary>
        public static double Company(string a, string b)
        {
            if (a.Length == 0 || b.Length == 0) return 0;
            if (IsAcronymOf(a, b) || IsAcronymOf(b, a)) return 100;
            return Math.Max(JaroWinkler(a, b), EditSimilarity(a, b));
        }

        private static bool IsAcronymOf(string acronym, string full)
        {
            if (acronym.IndexOf(' ') >= 0 || acronym.Length < 2) return false;
            var words = full.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length != acronym.Length) return false;
            for (var i = 0; i < words.Length; i++) if (words[i][0] != acronym[i]) return false;
            return true;
        }

        /// <summary>
        /// A phone score as Salesforce: compares the sections (country code, area code, number) separately;
        /// the last 10 digits exact is 100, same number with a different or missing country/area part scores lower.
        /// </summary>
        public static double Phone(string a, string b)
        {
            if (a.Length == 0 || b.Length == 0) return 0;
            if (a == b) return 100;
            var da = a.TrimStart('+');
            var db = b.TrimStart('+');
            var la = Last(da, 7);
            var lb = Last(db, 7);
            if (la != lb) return EditSimilarity(da, db) * 0.8; // different local number: mostly a miss
            var aa = Mid(da, 3); var ab = Mid(db, 3);
            if (aa.Length == 0 || ab.Length == 0) return 80;
            return aa == ab ? 90 : 60;
        }

        private static string Last(string s, int n) => s.Length <= n ? s : s.Substring(s.Length - n);
        private static string Mid(string s, int n) => s.Length < 7 + n ? string.Empty : s.Substring(s.Length - 7 - n, n);

        /// <summary>Dataverse "same first N characters": both at least N long (or equal) and the first N equal.</summary>
        public static double SameFirst(string a, string b, int n)
        {
            if (a.Length == 0 || b.Length == 0) return 0;
            if (a.Length < n || b.Length < n) return a == b ? 100 : 0;
            return string.CompareOrdinal(a, 0, b, 0, n) == 0 ? 100 : 0;
        }

        /// <summary>100 when two emails have the same domain (the text after the last @), else 0.</summary>
        public static double SameEmailDomain(string a, string b)
        {
            var ia = a.LastIndexOf('@');
            var ib = b.LastIndexOf('@');
            if (ia < 0 || ib < 0 || ia == a.Length - 1) return 0;
            return a.Length - ia == b.Length - ib && string.CompareOrdinal(a, ia, b, ib, a.Length - ia) == 0 ? 100 : 0;
        }

        /// <summary>Dataverse "same last N characters".</summary>
        public static double SameLast(string a, string b, int n)
        {
            if (a.Length == 0 || b.Length == 0) return 0;
            if (a.Length < n || b.Length < n) return a == b ? 100 : 0;
            return string.CompareOrdinal(a, a.Length - n, b, b.Length - n, n) == 0 ? 100 : 0;
        }
    }
}
