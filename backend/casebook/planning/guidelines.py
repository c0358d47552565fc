"""The source texts the planner derives its rules from, as data with locators.

Everything here is taken from two documents in shared/seeds, and each entry carries the exact heading
it sits under (`heading`, verbatim from the text) and the seed line, so a test can check that every
locator resolves. Task wordings are short paraphrases of the numbered items under each task.

- MSP: ESCAP and UNU-IAS, *Partnering for Sustainable Development: Guidelines for Multi-stakeholder
  Partnerships to Implement the 2030 Agenda in Asia and the Pacific* (2018), chapter IV.
  The text numbers the tasks of Step 3 as 3.1, 3.2, 3.4 and 3.5 (there is no 3.3); we keep its numbering.
- HSBP: LSE IDEAS and UN Human Security Unit, *The Human Security Business Partnership Framework*.
"""

from __future__ import annotations

from dataclasses import dataclass

from casebook.domain.vocabulary import MSP_MODULES

SOURCES = {
    "msp": {
        "title": "Partnering for Sustainable Development: Guidelines for Multi-stakeholder Partnerships "
                 "to Implement the 2030 Agenda in Asia and the Pacific",
        "publisher": "United Nations ESCAP and UNU-IAS", "year": 2018,
        "file": "escap-unu-msp-guidelines-2018.txt",
    },
    "hsbp": {
        "title": "The Human Security Business Partnership (HSBP) Framework",
        "publisher": "LSE IDEAS and UN Human Security Unit", "year": None,
        "file": "hsbp-framework-report.txt",
    },
}


@dataclass(frozen=True)
class Locator:
    """A place in a source document: the verbatim heading it sits under, the seed line, and a label."""

    source: str  # key of SOURCES
    heading: str  # verbatim from the seed text
    line: int
    label: str  # how the plan cites it, e.g. "MSP guidelines, Step 11, Task 11.1 (1)(a)"

    @property
    def key(self) -> str:
        """One per place in the source: two labels for the same line are one annex entry (evidence.Register)."""
        return f"src:{self.source}:{self.line}"

    def as_dict(self) -> dict[str, object]:
        doc = SOURCES[self.source]
        return {"kind": "source", "source": self.source, "document": doc["title"], "publisher": doc["publisher"],
                "year": doc["year"], "heading": self.heading, "line": self.line, "locator": self.label}


@dataclass(frozen=True)
class Task:
    id: str  # "3.2"
    title: str
    does: str  # what the task asks, paraphrased from its numbered items
    line: int

    @property
    def locator(self) -> Locator:
        step = int(self.id.split(".")[0])
        return Locator("msp", f"Task {self.id}: {self.title}", self.line,
                       f"MSP guidelines, Module {module_of(step)}, Step {step}, Task {self.id} '{self.title}'")


@dataclass(frozen=True)
class Step:
    number: int
    slug: str
    title: str
    heading: str
    line: int
    tasks: tuple[Task, ...]


MODULES = MSP_MODULES  # A Initiation (1-3) … E Reinvent or sustain (11-12), as in the guidelines' figure IV.1


def module_of(step: int) -> str:
    return next(m for m, (_, steps) in MODULES.items() if step in steps)


STEPS: tuple[Step, ...] = (
    Step(1, "getting-started", "Getting started", "Step 1: Getting started", 561, (
        Task("1.1", "Frame the sustainable development challenge",
             "Frame the challenge, how it was addressed in the past and the lessons learned; state it as an "
             "objective linked to the SDGs; state why a partnership is needed.", 565),
        Task("1.2", "Organize resources and secure support",
             "Secure political awareness and support up front; make senior management and staff aware; be clear "
             "who leads and who initiates; assess the capacity to develop and implement the partnership.", 576),
        Task("1.3", "Plan to partner",
             "Justify why a partnership is necessary, document how the programme benefits from it, and clarify "
             "what kinds of partners and resources are needed.", 587),
        Task("1.4", "Identify partners",
             "Inventory potential partners, their track record and contact points; select the most appropriate "
             "ones and secure the involvement of people with authority to decide.", 602),
    )),
    Step(2, "agenda-setting-and-scoping", "Agenda setting and scoping", "Step 2: Agenda setting and scoping", 617, (
        Task("2.1", "Develop common understanding of relevant challenges",
             "Allow time for discussion, which also builds trust; examine the problem, its impacts, risks, sector "
             "and geographical context; avoid untested assumptions about target population and baseline.", 633),
        Task("2.2", "Set multi-stakeholder partnership's goals and objectives",
             "Agree shared and individual goals and objectives, be clear why each stakeholder takes part, and "
             "link them to the programme.", 662),
        Task("2.3", "Define multi-stakeholder partnership's scope",
             "Clarify type, number and scale, outputs, geographical focus, time frame, resources and what is not "
             "included.", 678),
        Task("2.4", "Align multi-stakeholder partnership with the 2030 Agenda",
             "Align goals with SDG targets, check policy coherence, and document the baseline conditions, "
             "particularly SDG-related indicators.", 695),
    )),
    Step(3, "building-relationships", "Building relationships", "Step 3: Building relationships", 707, (
        Task("3.1", "Map partners' resources",
             "Map non-cash (in-kind) and financial resources the partners will commit.", 711),
        Task("3.2", "Assess rewards and risks",
             "Assess common rewards and the organisational risks in five areas (reputation, autonomy, conflicts "
             "of interest, drain on resources, implementation) and agree mitigation.", 735),
        Task("3.4", "Secure partnering agreement",
             "Record the commitment in a partnering agreement or memorandum of understanding: problem, roles, "
             "commitments, reference point for review.", 769),
        Task("3.5", "Agree governance and accountability procedures",
             "Agree accountability to beneficiaries, donors, partner organisations and each other, with a "
             "partnership process baseline matrix.", 775),
    )),
    Step(4, "planning", "Planning", "Step 4: Planning _", 856, (
        Task("4.1", "Planning the multi-stakeholder partnership components",
             "Formulate project components that meet the SDG objectives, with individual and collective "
             "responsibilities and a timeline.", 860),
        Task("4.2", "Planning the multi-stakeholder partnership activities",
             "Plan activities per component, assign full responsibility for each to one partner, and schedule "
             "them.", 872),
    )),
    Step(5, "structuring", "Structuring", "Step 5: Structuring ____", 884, (
        Task("5.1", "Agreeing overall leadership of the multi-stakeholder partnership",
             "Agree the lead partner; assess the lead's capacity and, if needed, start with a smaller project "
             "first.", 888),
        Task("5.2", "Structuring of partners' roles and responsibilities",
             "Assign lead or joint roles for each component.", 903),
        Task("5.3", "Structuring the decision-making process",
             "Agree decision-making structures, share minutes, and set a contingency process for "
             "emergencies.", 928),
    )),
    Step(6, "mobilising", "Mobilizing", "Step 6: Mobilizing", 939, (
        Task("6.1", "Mobilization of partners",
             "The lead partner coordinates mobilisation; in-situ preparation or a logistical move to the "
             "project site; formal announcement of the start.", 943),
        Task("6.2", "Mobilization of resources",
             "Each partner mobilises the human, financial, physical and technological resources it "
             "committed.", 954),
    )),
    Step(7, "delivering", "Delivering on the Sustainable Development Goals",
         "Step 7: Delivering on the Sustainable Development Goals _", 1030, (
             Task("7.1", "Coordinating with partners for the delivery of planned development outputs",
                  "Set up coordination mechanisms and regular (at least monthly) coordination meetings with "
                  "minutes.", 1034),
             Task("7.2", "Implementing multi-stakeholder partnership project components involving multiple partners",
                  "Break components into monthly and quarterly plans; nested action plans where outputs of one "
                  "partner are inputs of another.", 1046),
             Task("7.3", "Implementing multi-stakeholder partnership project components involving individual partners",
                  "Individual partners implement their components; the lead coordinates overall progress.", 1059),
             Task("7.4", "Ensuring the ongoing health of the multi-stakeholder partnership",
                  "Keep the partnership inclusive, equitable, accountable and transparent; check its health "
                  "regularly and set up a mechanism for conflict management.", 1069),
         )),
    Step(8, "measuring-progress", "Measuring progress", "Step 8: Measuring progress", 1079, (
        Task("8.1", "Monitoring progress of multi-stakeholder partnership project components and activities",
             "Agree monitoring arrangements, a central monitoring unit, a monitoring cycle, data and record "
             "keeping, milestones.", 1083),
        Task("8.2", "Monitoring partnership processes",
             "Assess the partnership process against the baseline matrix and the SDG targets and indicators.", 1107),
        Task("8.3", "Reporting progress",
             "Agree a reporting cycle and hierarchy aligned with the global SDG indicator framework.", 1128),
    )),
    Step(9, "reviewing", "Reviewing", "Step 9: Reviewing", 1185, (
        Task("9.1", "Reviewing progress and measuring impact",
             "Set up a review panel of all partners and a review cycle; review objectives against SDG "
             "indicators; hold a midterm review.", 1189),
        Task("9.2", "Reviewing partnership processes",
             "Periodically review the partnership process; keep rules flexible; involve all partners.", 1216),
    )),
    Step(10, "revising", "Revising", "Step 10: Revising", 1226, (
        Task("10.1", "Following up and revising",
             "The review panel follows up and revises partnership or implementation arrangements.", 1230),
        Task("10.2", "Learning lessons",
             "Allocate resources to document lessons, build a culture of learning, and decide whether to "
             "publish them.", 1243),
    )),
    Step(11, "scaling-up", "Scaling up", "Step 11: Scaling up", 1309, (
        Task("11.1", "Going to scale",
             "Decide which of the four scaling dimensions (social, physical, political, conceptual) apply and "
             "take the lessons on each into the design of the new partnership.", 1313),
    )),
    Step(12, "moving-on", "Moving on", "Step 12: Moving on", 1332, (
        Task("12.1", "Moving on",
             "Depending on conditions at the end: renew, transfer to a new institutional set-up, or "
             "terminate, and learn from either outcome.", 1336),
    )),
)

TASKS = {t.id: t for s in STEPS for t in s.tasks}


def task(task_id: str) -> Locator:
    return TASKS[task_id].locator


def step_of(task_id: str) -> int:
    return int(task_id.split(".")[0])


# Step 11, Task 11.1 (1)(a)-(d): the four scaling dimensions, in the guidelines' words.
SCALING = {
    "social": ("inclusion of social groups that might not have been covered by design or default",
               Locator("msp", "Task 11.1: Going to scale", 1313,
                       "MSP guidelines, Step 11, Task 11.1 (1)(a) social dimension")),
    "physical": ("replication of the partnership, its components and activities in other geographical or "
                 "administrative areas",
                 Locator("msp", "Task 11.1: Going to scale", 1313,
                         "MSP guidelines, Step 11, Task 11.1 (1)(b) physical dimension")),
    "political": ("policy and budgetary commitments, which may include revision of relevant policies or "
                  "expansion of budgetary commitments",
                  Locator("msp", "Task 11.1: Going to scale", 1313,
                          "MSP guidelines, Step 11, Task 11.1 (1)(c) political dimension")),
    "conceptual": ("changing mind sets and power relations",
                   Locator("msp", "Task 11.1: Going to scale", 1313,
                           "MSP guidelines, Step 11, Task 11.1 (1)(d) conceptual dimension")),
}
SCALING_TASK_2 = Locator("msp", "Task 11.1: Going to scale", 1313,
                         "MSP guidelines, Step 11, Task 11.1 (2): lessons on each dimension go into the design "
                         "of a replication")

# Task 3.2: the five areas of organisational risk, in the guidelines' words.
RISK_AREAS = {
    "reputation": ("Reputation impact", "reputation could be damaged either by the fact of the partnership itself "
                   "or by any fallout in the future should the partnership fail"),
    "autonomy": ("Loss of autonomy", "working in collaboration inevitably means less independence for each "
                 "organization in the areas of joint work"),
    "conflict-of-interest": ("Conflicts of interest", "partnership commitments can give rise to split loyalties "
                             "or to feeling pressured to settle for uncomfortable compromises"),
    "resource-drain": ("Drain on resources", "partnerships typically require a heavy front-end investment "
                       "(especially of time) in advance of any appropriate level of return"),
    "implementation": ("Implementation challenges", "once established, a fresh set of commitments and other "
                       "challenges for each partner organization as the partnership moves into implementation"),
}
RISKS_LOCATOR = Locator("msp", "Task 3.2: Assess rewards and risks", 735,
                        "MSP guidelines, Module A, Step 3, Task 3.2 'Assess rewards and risks' (five risk areas)")

# Other passages rules cite.
PASSAGES = {
    "power": Locator("msp", "Working with power or within hierarchical systems", 549,
                     "MSP guidelines, Module A key principles, 'Working with power or within hierarchical systems'"),
    "laws-policies": Locator("msp", "Clarity of objectives and scope of multi-stakeholder partnerships", 534,
                             "MSP guidelines, Module A key principles, 'Clarity of objectives and scope' (laws, "
                             "policies, strategies and programmes at all levels of government)"),
    "commitment-post-conflict": Locator("msp", "Commitment to multi-stakeholder partnerships", 383,
                                        "MSP guidelines, chapter III.B key challenges, Module A 'Commitment to "
                                        "multi-stakeholder partnerships' (post-conflict, low trust)"),
    "mutual-trust": Locator("msp", "Mutual trust.", 357,
                            "MSP guidelines, chapter III.A key success factors, Module B 'Mutual trust'"),
    "legal-provisions": Locator("msp", "Availability of legal provisions.", 391,
                                "MSP guidelines, chapter III.B key challenges, Module B 'Availability of legal "
                                "provisions'"),
    "mobilizing-resources": Locator("msp", "Mobilizing resources.", 393,
                                    "MSP guidelines, chapter III.B key challenges, Module B 'Mobilizing resources'"),
    "risk-conflict-mitigation": Locator("msp", "Risk and conflict mitigation", 1009,
                                        "MSP guidelines, Module C key principles, 'Risk and conflict mitigation'"),
    "manage-expectations": Locator("msp", "Manage expectations", 1018,
                                   "MSP guidelines, Module C key principles, 'Manage expectations'"),
    "scaling-principles": Locator("msp", "Key principles of reinventing or sustaining multi-stakeholder partnerships",
                                  1286, "MSP guidelines, Module E key principles, 'Scaling up' (roles change: risk "
                                  "of losing momentum, disrupting trust and power dynamics; supportive legal "
                                  "provisions)"),
    "hsbp-principles": Locator("hsbp", "Principles of the HSBP Framework", 60,
                               "HSBP Framework, 'Principles of the HSBP Framework'"),
    "hsbp-dynamiser": Locator("hsbp", "Preliminary step — Setting up an HSBP", 123,
                              "HSBP Framework, 'Preliminary step — Setting up an HSBP' (the dynamiser)"),
    "hsbp-step1": Locator("hsbp", "1. Situational analysis", 129, "HSBP Framework, step 1 'Situational analysis'"),
    "hsbp-step2": Locator("hsbp", "2. Mapping needs, vulnerabilities and capacities", 133,
                          "HSBP Framework, step 2 'Mapping needs, vulnerabilities and capacities'"),
    "hsbp-step4": Locator("hsbp", "4. Who needs to be involved and how", 145,
                          "HSBP Framework, step 4 'Who needs to be involved and how'"),
    "hsbp-step5": Locator("hsbp", "5. Building protection and empowerment strategies", 149,
                          "HSBP Framework, step 5 'Building protection and empowerment strategies' (independent, "
                          "locally based facilitator trusted by all)"),
    "hsbp-protocols": Locator("hsbp", "5. Building protection and empowerment strategies", 149,
                              "HSBP Framework, step 5 'Building protection and empowerment strategies' (protocols "
                              "for decisions, commitments and timelines)"),
    "resources-disclose": Locator("msp", "Allocation and mobilization of resources", 847,
                                  "MSP guidelines, 'Allocation and mobilization of resources' (each partner "
                                  "discloses the resources it brings)"),
    "hsbp-step6": Locator("hsbp", "6. Tools for implementing partnerships", 153,
                          "HSBP Framework, step 6 'Tools for implementing partnerships' (consultation sensitive "
                          "to adverse consequences)"),
    "hsbp-step7": Locator("hsbp", "7. Joint monitoring and evaluation", 164,
                          "HSBP Framework, step 7 'Joint monitoring and evaluation' (principles as "
                          "'meta-indicators')"),
    # The grievance process is HSBP step 7 (report line 168), not MSP Task 7.4, which asks only for "a mechanism
    # for conflict management" (guidelines line 1071).
    "grievance": Locator("hsbp", "7. Joint monitoring and evaluation", 164,
                         "HSBP Framework, step 7 'Joint monitoring and evaluation' (a grievance process, so that "
                         "difficulties do not undermine trust)"),
}

# HSBP principles (report, 'Principles of the HSBP Framework'), each with the monitoring question the
# report's wording suggests; step 7 makes them meta-indicators for joint monitoring.
PRINCIPLES = {
    "locally-driven": ("Locally relevant and driven", 62,
                       "Do local communities assess and define the threats and priorities, and are actions tailored "
                       "to local knowledge, culture and tradition?"),
    "inclusive": ("II. Inclusive", 68,
                  "Do those living and working in the affected community take part meaningfully, and does ongoing "
                  "stakeholder mapping catch who is left out?"),
    "forward-looking": ("Forward looking", 72,
                        "Does the partnership build a better future for all who live and operate in the locality, "
                        "rather than only relitigating historic issues?"),
    "trust-transparency": ("V. Trust and Transparency", 76,
                           "Is there direct and frequent interaction between company and community, with regular, "
                           "open communication on how each partner's inputs deliver the commitments?"),
    "sharing": ("V. Sharing", 80,
                "Are benefits reciprocal and responsibilities shared, with joint goals, a common checklist and "
                "joint training?"),
}


def principle_locator(slug: str) -> Locator:
    heading, line, _ = PRINCIPLES[slug]
    return Locator("hsbp", heading, line, f"HSBP Framework, 'Principles of the HSBP Framework', '{heading}'")
