using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace LeadTools.DataGen
{
    /// <summary>
    /// How the same person ends up written differently: the noise of real CRM data. Each method takes
    /// the clean value and returns one spelling of it (or null for a missing value).
    /// </summary>
    internal static class Noise
    {
        // Neighbouring keys on a QWERTY keyboard, for slips of the finger.
        private static readonly string[] Neighbours =
        {
            "qwsz", "vghn", "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko", "huikmn", "jiolm", "kop",
            "njk", "bhjm", "iklp", "ol", "wa", "edft", "awedxz", "rfgy", "yhji", "cfgb", "qase", "zsdc", "tghu", "asx",
        };

        // The slips seen most on the big free-mail domains; other domains get a generic typo in their name.
        private static readonly Dictionary<string, string[]> DomainTypos = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["gmail.com"] = new[] { "gmial.com", "gmail.con", "gamil.com", "gmail.co", "gmai.com" },
            ["yahoo.com"] = new[] { "yahooo.com", "yaho.com", "yahoo.co" },
            ["hotmail.com"] = new[] { "hotmial.com", "hotmail.co", "hotmal.com" },
            ["outlook.com"] = new[] { "outlok.com", "outlook.co" },
        };

        private static string DomainTypo(string domain, SeededRandom r)
        {
            if (DomainTypos.TryGetValue(domain, out var typos)) return r.Pick(typos);
            var dot = domain.IndexOf('.');
            return dot > 3 ? Typo(domain.Substring(0, dot), r) + domain.Substring(dot) : domain;
        }

        /// <summary>A typing slip: two letters swapped, one dropped, one doubled or a neighbouring key.</summary>
        public static string Typo(string s, SeededRandom r)
        {
            if (s.Length < 4) return s;
            var i = r.Next(1, s.Length - 1);
            var sb = new StringBuilder(s);
            switch (r.Next(4))
            {
                case 0:
                    (sb[i], sb[i + 1]) = (sb[i + 1], sb[i]);
                    break;
                case 1:
                    sb.Remove(i, 1);
                    break;
                case 2:
                    sb.Insert(i, sb[i]);
                    break;
                default:
                    var c = char.ToLowerInvariant(sb[i]);
                    if (c >= 'a' && c <= 'z')
                    {
                        var n = Neighbours[c - 'a'];
                        var repl = n[r.Next(n.Length)];
                        sb[i] = char.IsUpper(sb[i]) ? char.ToUpperInvariant(repl) : repl;
                    }
                    else
                    {
                        sb.Remove(i, 1);
                    }
                    break;
            }
            return sb.ToString();
        }

        /// <summary>Upper case, lower case or as is.</summary>
        public static string Case(string s, SeededRandom r) => r.Next(3) switch
        {
            0 => s.ToUpperInvariant(),
            1 => s.ToLowerInvariant(),
            _ => s,
        };

        /// <summary>Stray spaces before, after or doubled inside.</summary>
        public static string Spaces(string s, SeededRandom r)
        {
            switch (r.Next(3))
            {
                case 0: return " " + s;
                case 1: return s + " ";
                default:
                    var i = s.IndexOf(' ');
                    return i > 0 ? s.Substring(0, i) + "  " + s.Substring(i + 1) : s + "  ";
            }
        }

        /// <summary>A first name as a copy gives it: nickname or formal name, typo, case, an initial.</summary>
        public static string FirstName(string first, SeededRandom r, bool copy)
        {
            var s = first;
            if (copy)
            {
                if (r.Chance(0.22))
                {
                    if (Vocabulary.Nicknames.TryGetValue(s, out var nicks)) s = r.Pick(nicks);
                    else if (Vocabulary.Formal.TryGetValue(s, out var formal)) s = r.Pick(formal);
                }
                if (r.Chance(0.07)) s = Typo(s, r);
                if (r.Chance(0.03)) s = s.Substring(0, 1) + ".";
                if (r.Chance(0.06)) s = Case(s, r);
                if (r.Chance(0.03)) s = Spaces(s, r);
            }
            else if (r.Chance(0.01))
            {
                s = Case(s, r);
            }
            return s;
        }

        /// <summary>A last name: typo, case, punctuation variants (O'Connor / OConnor, Smith-Jones / Smith Jones).</summary>
        public static string LastName(string last, SeededRandom r, bool copy)
        {
            var s = last;
            if (copy)
            {
                if (r.Chance(0.06)) s = Typo(s, r);
                if (r.Chance(0.05)) s = Case(s, r);
                if (r.Chance(0.3)) s = s.Replace("'", "").Replace("-", " ").Replace(". ", " ");
                if (r.Chance(0.03)) s = Spaces(s, r);
            }
            else if (r.Chance(0.01))
            {
                s = Case(s, r);
            }
            return s;
        }

        /// <summary>An email: case, spaces, Gmail dots and plus tags, googlemail, domain slips, missing, or the person's other address.</summary>
        public static string? Email(Person p, SeededRandom r, bool copy)
        {
            var e = p.Email;
            if (!copy)
            {
                if (r.Chance(0.04)) return null;
                if (r.Chance(0.04)) e = CapitaliseLocal(e);
                return e;
            }
            if (r.Chance(0.07)) return null;
            if (r.Chance(0.12)) e = p.UsesWorkEmail ? p.PersonalEmail : p.WorkEmail;
            var at = e.IndexOf('@');
            var local = e.Substring(0, at);
            var domain = e.Substring(at + 1);
            if (domain == "gmail.com")
            {
                if (r.Chance(0.3)) local = local.IndexOf('.') >= 0 ? local.Replace(".", "") : local.Insert(r.Next(1, local.Length), ".");
                if (r.Chance(0.1)) domain = "googlemail.com";
                if (r.Chance(0.08)) local += "+" + (r.Chance(0.5) ? "news" : "crm");
            }
            if (r.Chance(0.03)) domain = DomainTypo(domain, r);
            e = local + "@" + domain;
            if (r.Chance(0.25)) e = r.Chance(0.3) ? e.ToUpperInvariant() : CapitaliseLocal(e);
            if (r.Chance(0.08)) e = r.Chance(0.5) ? " " + e : e + " ";
            return e;
        }

        private static string CapitaliseLocal(string e)
        {
            var sb = new StringBuilder(e.Length);
            var up = true;
            foreach (var c in e)
            {
                sb.Append(up ? char.ToUpperInvariant(c) : c);
                up = c == '.' || c == '_' || c == '@';
            }
            return sb.ToString();
        }

        /// <summary>A phone number in one of the ways people type it ("(415) 555-0100", "+1 415 555 0100", "415.555.0100"...).</summary>
        public static string? Phone(Person p, string local, SeededRandom r, bool copy)
        {
            if (r.Chance(copy ? 0.1 : 0.06)) return null;
            var area = p.PhoneArea;
            string s;
            if (p.Country.IsNanp)
            {
                var a = local.Substring(0, 3);
                var b = local.Substring(3);
                switch (r.Next(8))
                {
                    case 0: s = $"({area}) {a}-{b}"; break;
                    case 1: s = $"+1 {area} {a} {b}"; break;
                    case 2: s = $"{area}.{a}.{b}"; break;
                    case 3: s = $"{area}-{a}-{b}"; break;
                    case 4: s = $"{area}{a}{b}"; break;
                    case 5: s = $"+1{area}{a}{b}"; break;
                    case 6: s = $"1-{area}-{a}-{b}"; break;
                    default: s = $"+1 ({area}) {a}-{b}"; break;
                }
            }
            else
            {
                var dial = p.Country.DialCode;
                var a = local.Substring(0, 4);
                var b = local.Substring(4);
                switch (r.Next(5))
                {
                    case 0: s = $"+{dial} {area} {a} {b}"; break;
                    case 1: s = $"0{area} {a} {b}"; break;
                    case 2: s = $"+{dial} (0){area} {a}{b}"; break;
                    case 3: s = $"+{dial}{area}{a}{b}"; break;
                    default: s = $"0{area}/{a}{b}"; break;
                }
            }
            if (r.Chance(0.03)) s += " x" + r.Next(100, 1000).ToString(CultureInfo.InvariantCulture);
            return s;
        }

        /// <summary>A company: suffix spellings (Inc / Inc. / , Inc.), dropped suffix, "The", case, slips, placeholders.</summary>
        public static string Company(Person p, SeededRandom r, bool copy)
        {
            if (!copy)
            {
                if (r.Chance(0.01)) return r.Chance(0.5) ? "[not provided]" : "Unknown";
                return p.CanonicalCompany;
            }
            if (r.Chance(0.02)) return r.Chance(0.5) ? "[not provided]" : "Unknown";
            var name = p.CompanyName;
            if (r.Chance(0.03)) name = Typo(name, r);
            var suffix = "";
            if (p.CompanySuffixes != null && !r.Chance(0.15))
            {
                suffix = Person.Join(name, r.Chance(0.4) ? r.Pick(p.CompanySuffixes) : p.CompanySuffixes[0]);
            }
            var the = p.CompanyHasThe ? !r.Chance(0.4) : r.Chance(0.02);
            var s = (the ? "The " : "") + name + suffix;
            if (r.Chance(0.05)) s = Case(s, r);
            if (r.Chance(0.03)) s = Spaces(s, r);
            return s;
        }

        /// <summary>A title spelling, or missing.</summary>
        public static string? Title(Person p, SeededRandom r, bool copy)
        {
            if (r.Chance(copy ? 0.12 : 0.08)) return null;
            return copy && r.Chance(0.3) ? r.Pick(p.Titles) : p.Titles[0];
        }

        /// <summary>A street line: abbreviation of the street type, suite on or off, case, missing.</summary>
        public static string? Street(Person p, SeededRandom r, bool copy)
        {
            if (r.Chance(copy ? 0.1 : 0.05)) return null;
            var type = copy && r.Chance(0.4) ? r.Pick(p.StreetType) : p.StreetType[0];
            var s = p.StreetNumber.ToString(CultureInfo.InvariantCulture) + " " + p.StreetName + " " + type;
            if (p.Suite != null && !(copy && r.Chance(0.3))) s += (r.Chance(0.5) ? ", " : " ") + (copy && r.Chance(0.3) ? p.Suite.Replace("Suite", "Ste") : p.Suite);
            if (copy && r.Chance(0.04)) s = s.ToUpperInvariant();
            return s;
        }

        /// <summary>A city, with case noise and the occasional gap.</summary>
        public static string? City(Person p, SeededRandom r, bool copy)
        {
            if (r.Chance(copy ? 0.05 : 0.02)) return null;
            var s = p.City.Name;
            if (copy && r.Chance(0.05)) s = Case(s, r);
            return s;
        }

        /// <summary>A state as code or name.</summary>
        public static string? State(Person p, SeededRandom r, bool copy)
        {
            if (p.City.StateCode == null) return null;
            if (r.Chance(copy ? 0.06 : 0.03)) return null;
            var s = r.Chance(0.8) ? p.City.StateCode : p.City.StateName!;
            if (copy && r.Chance(0.04)) s = s.ToLowerInvariant();
            return s;
        }

        /// <summary>A postal code: ZIP+4, a dropped leading zero (spreadsheet damage), spacing.</summary>
        public static string? Postal(Person p, SeededRandom r, bool copy)
        {
            if (r.Chance(copy ? 0.08 : 0.04)) return null;
            var s = p.Postal;
            if (!copy) return s;
            if (p.Country.Code == "US")
            {
                if (r.Chance(0.1)) s += "-" + r.Next(1000, 10000).ToString(CultureInfo.InvariantCulture);
                if (s[0] == '0' && r.Chance(0.3)) s = s.Substring(1);
            }
            else if (s.IndexOf(' ') > 0 && r.Chance(0.2))
            {
                s = s.Replace(" ", "");
            }
            if (r.Chance(0.04)) s = s.ToLowerInvariant();
            return s;
        }

        /// <summary>A country as one of its spellings ("United States", "USA", "US"...).</summary>
        public static string? CountryName(Person p, SeededRandom r, bool copy)
        {
            if (r.Chance(copy ? 0.06 : 0.03)) return null;
            return r.Chance(copy ? 0.5 : 0.8) ? p.Country.Names[0] : r.Pick(p.Country.Names);
        }
    }

    /// <summary>One rendering of a person: the values a record carries.</summary>
    internal sealed class PersonView
    {
        public string First = "";
        public string Last = "";
        public string? Email;
        public string? Phone;
        public string? Mobile;
        public string Company = "";
        public string? Title;
        public string? Street;
        public string? City;
        public string? State;
        public string? Postal;
        public string? Country;

        public static PersonView Render(Person p, SeededRandom r, bool copy)
        {
            var v = new PersonView
            {
                First = Noise.FirstName(p.First, r, copy),
                Last = Noise.LastName(p.Last, r, copy),
                Email = Noise.Email(p, r, copy),
                Phone = Noise.Phone(p, copy && r.Chance(0.05) ? p.MobileLocal : p.PhoneLocal, r, copy),
                Company = Noise.Company(p, r, copy),
                Title = Noise.Title(p, r, copy),
                Street = Noise.Street(p, r, copy),
                City = Noise.City(p, r, copy),
                State = Noise.State(p, r, copy),
                Postal = Noise.Postal(p, r, copy),
                Country = Noise.CountryName(p, r, copy),
            };
            v.Mobile = r.Chance(0.5) ? Noise.Phone(p, p.MobileLocal, r, copy) : null;
            // A first and last name typed into each other's box.
            if (copy && r.Chance(0.01))
            {
                var t = v.First;
                v.First = v.Last;
                v.Last = t;
            }
            return v;
        }
    }
}
