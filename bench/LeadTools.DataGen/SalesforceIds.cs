using System;
using System.Text;

namespace LeadTools.DataGen
{
    /// <summary>
    /// Salesforce-style record ids: key prefix (3) + pod (2) + reserved (1) + base-62 number (9) = 15
    /// case-sensitive characters, plus the 3-character case-safe checksum that makes the 18-character form.
    /// </summary>
    public static class SalesforceIds
    {
        private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        private const string ChecksumChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

        /// <summary>The pod part of generated ids.</summary>
        public const string Pod = "Dn";

        /// <summary>The 18-character id of record <paramref name="number"/> of the object with key prefix <paramref name="keyPrefix"/>.</summary>
        public static string Make(string keyPrefix, long number)
        {
            if (keyPrefix == null || keyPrefix.Length != 3) throw new ArgumentException("A key prefix has 3 characters.", nameof(keyPrefix));
            if (number < 0) throw new ArgumentOutOfRangeException(nameof(number));
            var chars = new char[18];
            chars[0] = keyPrefix[0];
            chars[1] = keyPrefix[1];
            chars[2] = keyPrefix[2];
            chars[3] = Pod[0];
            chars[4] = Pod[1];
            chars[5] = '0';
            var n = number;
            for (var i = 14; i >= 6; i--)
            {
                chars[i] = Base62[(int)(n % 62)];
                n /= 62;
            }
            if (n != 0) throw new ArgumentOutOfRangeException(nameof(number), "The number does not fit in 9 base-62 digits.");
            for (var block = 0; block < 3; block++)
            {
                var flags = 0;
                for (var j = 0; j < 5; j++)
                {
                    var c = chars[block * 5 + j];
                    if (c >= 'A' && c <= 'Z') flags |= 1 << j;
                }
                chars[15 + block] = ChecksumChars[flags];
            }
            return new string(chars);
        }

        /// <summary>True when <paramref name="id"/> is 18 characters whose last 3 are the checksum of the first 15.</summary>
        public static bool IsValid18(string? id)
        {
            if (id == null || id.Length != 18) return false;
            for (var i = 0; i < 15; i++)
            {
                if (Base62.IndexOf(id[i]) < 0) return false;
            }
            var sb = new StringBuilder(3);
            for (var block = 0; block < 3; block++)
            {
                var flags = 0;
                for (var j = 0; j < 5; j++)
                {
                    var c = id[block * 5 + j];
                    if (c >= 'A' && c <= 'Z') flags |= 1 << j;
                }
                sb.Append(ChecksumChars[flags]);
            }
            return string.CompareOrdinal(sb.ToString(), 0, id, 15, 3) == 0;
        }
    }
}
