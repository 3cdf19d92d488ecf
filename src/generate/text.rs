//! Swedish protocol language: sentence shapes taken from the example archive's protocols, filled
//! with domain words and a Zipf-distributed long tail from a real word list.

use super::rng::Rng;
use super::words::*;

pub struct Writer<'a> {
    pub rng: Rng,
    pub tail: &'a [String],
    pub forbund: String,
    pub kommuner: Vec<String>,
    pub year: i32,
}

fn tkr(rng: &mut Rng, lo: usize, hi: usize) -> String {
    thousands(rng.range(lo, hi))
}

pub use crate::sv::thousands;

impl Writer<'_> {
    pub fn word(&mut self) -> String {
        let i = self.rng.zipf(self.tail.len());
        self.tail[i].clone()
    }

    pub fn kommun(&mut self) -> String {
        let i = self.rng.below(self.kommuner.len());
        self.kommuner[i].clone()
    }

    pub fn person(&mut self) -> String {
        let first = *self.rng.pick(FIRST_NAMES);
        let last = *self.rng.pick(LAST_NAMES);
        format!("{first} {last}")
    }

    fn insats(&mut self) -> &'static str {
        let i = self.rng.below(INSATSER.len());
        INSATSER[i]
    }

    /// One sentence of background text.
    pub fn sentence(&mut self) -> String {
        let y = self.year;
        match self.rng.below(22) {
            0 => {
                let topic = *self.rng.pick(TOPICS);
                format!("Förbundschefen redogör för {topic} under {y}.")
            }
            1 => format!(
                "Det ekonomiska resultatet för perioden visar på ett {} på {} tkr.",
                if self.rng.chance(0.5) { "underskott" } else { "överskott" },
                tkr(&mut self.rng, 50, 900)
            ),
            2 => format!(
                "Medlemsintäkterna uppgår till {} tkr och kostnaderna till {} tkr.",
                tkr(&mut self.rng, 2000, 9000),
                tkr(&mut self.rng, 2000, 9000)
            ),
            3 => {
                let k = self.kommun();
                let i = self.insats();
                format!("{k} har inkommit med en ansökan om medel för insatsen {i} under {y} och {}.", y + 1)
            }
            4 => "Insatsen riktar sig till personer som är i behov av samordnade rehabiliteringsinsatser och som står långt från arbetsmarknaden.".to_string(),
            5 => format!("Enligt förbundsordningen ska {} verka för att den enskilde uppnår eller förbättrar sin förmåga att utföra förvärvsarbete.", self.forbund),
            6 => format!(
                "Uppföljningen visar att {} deltagare har tagit del av insatsen och att {} av dem har gått vidare till arbete eller studier.",
                self.rng.range(12, 140),
                self.rng.range(3, 40)
            ),
            7 => {
                let (a, b, c) = (self.word(), self.word(), self.word());
                format!("Under dialogen lyftes även frågor om {a}, {b} och {c}.")
            }
            8 => format!("Prognosen för det egna kapitalet per {y}-12-31 ligger på cirka {} tkr.", tkr(&mut self.rng, 200, 2500)),
            9 => "Nationella rådet rekommenderar att det egna kapitalet inte överstiger tjugo procent av medlemsintäkterna.".to_string(),
            10 => {
                let w = self.word();
                format!("Styrelsen diskuterade hur {w} kan beaktas i det fortsatta arbetet med samverkan mellan parterna.")
            }
            11 => format!("Utvecklingsgruppen har träffats {} gånger sedan föregående styrelsemöte.", self.rng.range(1, 4)),
            12 => {
                let p = self.person();
                format!("{p}, processledare, presenterade arbetet inom {} och svarade på frågor.", self.insats())
            }
            13 => "Revisorerna bedömer att verksamheten har bedrivits på ett ändamålsenligt och från ekonomisk synpunkt tillfredsställande sätt.".to_string(),
            14 => {
                let (a, b) = (self.word(), self.word());
                format!("I rapporten beskrivs bland annat {a} och {b} som viktiga faktorer för resultatet.")
            }
            15 => format!("Ekonomisk avstämning har gjorts för processer samt tjänsteköp under {y}."),
            16 => format!("Kostnaden för insatsen beräknas till {} kronor för hela perioden.", tkr(&mut self.rng, 100_000, 2_500_000)),
            17 => "Parterna har ett gemensamt ansvar för att insatserna blir en del av den ordinarie verksamheten.".to_string(),
            18 => {
                let w = self.word();
                format!("Förbundschefen konstaterar att {w} har betydelse för hur målgruppen nås.")
            }
            19 => {
                let month = *self.rng.pick(&["april", "augusti", "oktober"]);
                format!("Nästa ekonomiska uppföljning sker efter {month}.")
            }
            20 => "Arbetet följs upp i samband med tertialrapporten och redovisas för styrelsen vid nästa sammanträde.".to_string(),
            _ => {
                let (a, b) = (self.word(), self.word());
                format!("Det framkom synpunkter om {a} samt behovet av {b} i kommande verksamhetsplan.")
            }
        }
    }

    pub fn paragraph_text(&mut self, sentences: usize) -> String {
        (0..sentences)
            .map(|_| self.sentence())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A decision in the style of the seeds.
    pub fn decision(&mut self, topic: &str) -> String {
        match self.rng.below(7) {
            0 => format!("Styrelsen beslutar att godkänna {topic}."),
            1 => {
                let k = self.kommun();
                let i = self.insats();
                format!(
                    "Styrelsen beslutar att bevilja {k} {} kronor för insatsen {i} under {}.",
                    tkr(&mut self.rng, 100_000, 1_200_000),
                    self.year + 1
                )
            }
            2 => "Styrelsen beslutar att lägga informationen till handlingarna.".to_string(),
            3 => format!(
                "Att uppdra åt förbundschefen att återkomma med {topic} till nästa sammanträde."
            ),
            4 => format!(
                "Styrelsen beslutar att fastställa {topic} samt att översända den till medlemmarna."
            ),
            5 => "Styrelsen tackar för informationen.".to_string(),
            _ => format!(
                "Styrelsen beslutar att återremittera ärendet om {topic} för vidare beredning."
            ),
        }
    }

    /// A small budget table in Markdown.
    pub fn budget_table(&mut self) -> String {
        let y = self.year;
        let mut rows = String::new();
        let mut total = 0;
        for part in ["Försäkringskassan", "Region", "Kommunerna"] {
            let v = self.rng.range(300, 4000);
            total += v;
            rows.push_str(&format!(
                "| {part} | {} | {} |\n",
                thousands(v),
                thousands(v + self.rng.range(0, 200))
            ));
        }
        format!(
            "| Intäkter (tkr) | Budget {y} | Budget {} |\n|---|---:|---:|\n{rows}| Summa | {} | |\n",
            y + 1,
            thousands(total)
        )
    }
}
