"""Recall of the red-flag detector over the phrasing fixtures, and its tricky rules.

The recall figures are printed in the "Measured figures" section at the end of the
run (see ``tests/conftest.py``), also under ``-q``, per fixture file and over all.

Fixture files:

- ``phrasings.yml``: the phrasings the rules were first written and tuned on.
- ``phrasings_unseen.yml``: a held-out batch written later without looking at the
  rules. Measured once before any rule change (first-time figures): emergency recall
  56/90 = 62.2% (56/88 emergency phrasings escalated), urgent 30/40 = 75.0%,
  controls and negated quiet 38/40 = 95.0%. (Two phrasings that turned out to repeat
  ``phrasings.yml`` word for word were removed afterwards; the figures leave them out.)
- ``phrasings_unseen_2.yml``: a second held-out batch, written after the rules were
  revised on the first one and measured once before any further change: emergency
  recall 21/41 = 51.2% (23/40 emergency phrasings escalated), controls and negated
  quiet 17/20 = 85.0%.
- ``phrasings_unseen_3.yml``: a third held-out batch, written after the rules were
  revised on the second one and measured once before any further change: emergency
  recall 14/31 = 45.2% (14/30 emergency phrasings escalated), controls and negated
  quiet 14/15 = 93.3%.
- ``phrasings_unseen_4.yml``: a fourth, smaller held-out batch, written after the
  rules were revised on the third one, measured the same way: emergency recall
  12/20 = 60.0%, controls and negated quiet 10/10.

Batches 2 to 4 together, each measured on rules revised on all earlier batches, are
the best estimate of first-time recall on live wording the rules have not met: 49 of
90 emergency phrasings (54%) escalated, 43 of 45 controls and negated quiet.

- ``phrasings_unseen_5.yml``: not held out. It says in new words each class of
  wording the development blind sets (``blind/2026-11-30_real_words.yml`` and
  ``blind/2026-11-30_written.yml``) showed the rules missing or misreading, so that
  each class stays pinned. With the rules before they were revised for those classes:
  emergency 3/23 escalated, urgent 11/29, controls and negated quiet 8/17; after: all.
- ``phrasings_unseen_6.yml``: not held out either. The same for the classes the
  development sets ``blind/2026-11-30b_written.yml`` and
  ``blind/2026-11-30c_written.yml`` showed: the need to go no longer felt, retention
  told by what it takes, similes for saddle numbness, questions about one's own
  symptom, night pain that pulls one out of sleep, short trauma stories, dated
  cancers, ages in brackets or words, and look-alikes told as past, fear or figure of
  speech. With the rules before: emergency 5/20 escalated, urgent 5/22, controls quiet
  3/10; after: all.
- ``phrasings_unseen_7.yml``: the same for the classes ``blind/2026-11-30d_written.yml``
  showed: similes and everyday names for the seat area, erections gone, a dragging
  leg, cancers dated without "in", spinal jabs, infections that put one in hospital,
  rolling over or picking up with fragile bones; and look-alikes: a pain that never
  stopped one doing a thing, a foot that hurts while dragging something, a symptom
  that stopped long ago, a fear of one day, someone met at work, another language's
  "no". With the rules before: 10/22 read right (emergency 6/10, urgent 3/6, controls
  quiet 1/6); after: all. Two bladder phrasings cover the last emergency flag.
- ``phrasings_unseen_8.yml``: the same for the classes ``blind/2026-11-30e_written.yml``
  (and the last misses of ``blind/2026-11-30d_written.yml``) showed: soiling and
  emptying told in everyday words, a stream that will not come, no urge all day,
  leaking on a sneeze that is new (said in the next sentence) or may be worse, a
  bladder one cannot feel filling asked about "for myself", wiping that feels like
  nothing, a symptom told as one's own after a clinician's warning ("and I think"),
  numbness that has not worn off "this time", rubbery skin, both legs like wood or
  unsteady, numbness creeping up a leg, the other leg joining in, nights paced through,
  a word of address ("Mate, ..."), injecting, and "no fall, just sat down hard"; and
  look-alikes: a business trip, an episode dated afterwards ("but that was 9 years
  ago"), a scan that came back normal, leaking unchanged since the back pain. With the
  rules before: emergency 9/19 escalated, urgent 0/4, controls quiet 5/8; after: all.
- ``phrasings_unseen_9.yml``: the same for the classes ``blind/2026-11-30f_written.yml``
  showed: hesitancy told as a wait ("for ages before anything happens", "waiting for it
  to start"), a stream that is stop-start or hard to get going, emptying that feels
  unfinished, a leak named as a problem or a leakage, no urine made, the need to go no
  longer felt (also in quotes), smelling of urine, being wet a few times, a leak that
  comes without the cough ("not laughing or anything"), a disclosure opened with "I
  suppose I should say", someone else's pads, a feeling dulled or felt through a glove;
  pain that is brutal and there every minute, an age said with "at", a vehicle rolled, a
  cancer named by its organ, "got a temperature"; and look-alikes: why clinicians ask or
  why it matters, "what's foot drop ... if I had it", falling off the wagon, "in case it
  ever happens", "if I end up taking", "if I suddenly", a hydration bladder, someone
  else's temperature, and a kitchen leak, a cancer charity walk, a car rolled by hand,
  wet after swimming, every minute of standing. With the rules before: emergency 5/19
  escalated, urgent 2/6, controls quiet 9/14; after: all.
- ``phrasings_unseen_10.yml``: the same for the classes ``blind/2026-11-30g_written.yml``
  and ``blind/2026-11-30h_written.yml`` showed: not making it to the toilet, being
  caught short, pads needed for the first time, bowels slipping out, a stream slow to
  start or stop-start, a bladder that does not empty; a toilet seat not felt, feeling
  lessened or anaesthetised, erections told plainly; a foot that flops, scuffs at the
  toe, will not come up or fails at a pedal or a calf raise, knees that wobble and
  give, "the ants" in both legs; woken by the back night after night, "can't sleep
  through any more", post-op days with pain increasing, an age with a sex letter, a
  twinge or strain at 70 plus, thrown off a bike; and look-alikes: signs named only to
  be denied, legs gone to jelly at a sight, dead legs after a shift, "I would fall off
  my chair", a numb patch that is gone now. With the rules before: emergency 10/20
  escalated, urgent 5/7, controls quiet 2/5; after: all.
- ``phrasings_unseen_11.yml``: the same for the classes ``blind/2026-11-30g_written.yml``,
  ``blind/2026-11-30h_written.yml`` and ``blind/2026-11-30i_written.yml`` showed: an
  emergency asked as "is it normal ...?" by someone telling of themself, or hedged with
  "not sure if it matters but", new leaking "never ever" had before, not knowing
  whether there is feeling when wiping, a seat "like a block of ice", feeling "cold and
  weird", "could hardly feel it", a negation of pain before "but" and the numbness
  after it; an age written as one word, getting out of a bath or car awkwardly, a
  sneezing fit, a bumpy ride, a crash told with its date, a fall told without its verb,
  sleep stopped by the pain, waking soaked, needles used, an admission with an
  infection, buttock to calf or knee; and look-alikes: a numb foot fine by the next
  morning, sciatica that cleared "this time it's just my heels", a child named by age,
  cancer heard about on the radio, a back "completely fine" after a tumble, short
  replies with nothing clinical. With the rules before: emergency 6/13 escalated,
  urgent 5/12, controls quiet 2/7; after: all.
- ``phrasings_unseen_12.yml``: the same for the classes ``blind/2026-12-01j_written.yml``
  showed, with the last misses of g, h and i: wetting noticed only afterwards, going by
  the clock rather than the urge, a new leak set against the cough or an old "sneeze
  leak", not knowing when one needs to go, "is it bad if ...? because that's me", "should
  you feel yourself peeing? because I can't", "neither seem right" of bladder and bowel;
  the seat told as the part one sits on or where you sit on a saddle, numb stitches after
  a birth, numbness whose feeling has not come back, skin or tissue not felt, slang
  written with a star, "yep that's numb" of the area named before, numbness a cyclist is
  used to that is still there; sciatica spreading to the other leg told across two
  sentences; immune suppressants, an immune-suppressing drip, "HIV+", brittle bones and
  a knock, pinned by a horse, straight down on the tailbone, weight lost without trying,
  a fuzzy foot; and look-alikes: an unchanged weak bladder on sneezing at 75, legs numb
  with boredom, the paper felt fine, numbness after a hack gone by the evening, a back
  that settled as the physio said. With the rules before: emergency 5/18 escalated,
  urgent 2/8, controls quiet 3/5; after: all.
- ``phrasings_unseen_13.yml``: the same for the classes ``blind/2026-12-01k_written.yml``
  showed, with the last misses of d, e and f: tiptoe and calf raises lost, an ankle that
  will not lift ("I tell it to and nothing"), a limp become holding on to walk, weakness
  or numbness spreading up one leg, both legs heavy and shaky, a feeling that will not
  wear off; straining before any pee comes, not having peed since yesterday, whole days
  without the urge, no signal from the bowel, wet clothes with nothing felt, newly
  needed pads, the toilet reached too late, a urine infection guessed, sweat or wee;
  erections stopped, sex not felt, wiping that feels wrong, a cold feeling in the seat,
  numbness "down there" put down to the cold; pain from the bum cheek to the heel, a
  leading "not tingly" before the pain, jolted awake, "relentless. constant.", feeling
  fluey with a temperature up, a fall down the steps, "ate it" off a bike, hormone
  treatment after a prostate operation, an organ removed for a tumour; and look-alikes:
  an unchanged leak since menopause, numb toes in the snow, "ate it all for lunch", legs
  like the end of a shift, gel pads in the shoes, cold feet in winter, a big toe that
  will not bend, nervy about an appointment. With the rules before: emergency 11/26
  escalated, urgent 4/10, controls quiet 6/8; after: all.
- ``phrasings_unseen_14.yml``: the same for the classes ``blind/2026-12-01l_written.yml``
  showed: a stream that will not come (in pidgin too), only a dribble or a thin trickle,
  trying to get it going, a bladder bursting yet nothing happens or never feeling full,
  retention named, not being able to tell when one needs to go (in Scots), an
  embarrassing accident, leaking with no cough behind it after a lifetime of a good
  pelvic floor; "a pins feeling" in the groin; a foot that will not press a pedal and
  worse each day, a leg that will not lift where a week ago it was fine, toes then the
  front of the foot, no heel walking with a hanging foot (in Scots), both soles numb,
  legs going from under the person with falls; pain giving "gyp" all night, pain that
  does not ease at rest, a carcinoma or lymphoma named, "81 and I coughed", "ur boy has
  sciatica"; and look-alikes: a question about night pain, a cauda equina leaflet, a
  stranger's weight loss, boots soaked through, an unchanged sneeze leak since a birth,
  worn-out calves, "nearly wet myself laughing", a flat footprint, a numb brain, an idiom
  of the backside. With the rules before: emergency 7/17 escalated, urgent 3/6, controls
  quiet 7/11; after: emergency 17/17, urgent 6/6, controls quiet 10/11 (numb legs after
  a spinal for a c-section that "came back the same evening" still escalates: the
  resolved cue cannot reach across the hyphen of "c-section").
- ``phrasings_unseen_15.yml``: the same for the classes ``blind/2026-12-01m_written.yml``
  showed: pads bought for the first time, a leak found afterwards and never felt, bowels
  that no longer signal full, passing water felt muted or faint; a touch on the
  buttocks not felt, a seat that no longer feels cold, numbness after finishing, a numb
  seat told to the physio; the second leg starting the same, a floppy foot whose front
  will not lift; woken at 2am every night, awake since 3, worse lying flat, nights at
  their worst; sliding down ten stairs; a hug with osteoporosis; and look-alikes: a
  cauda equina checklist that does not apply, a scan that ruled it out, a question from
  a poster, "mine doesn't", tired legs after intervals "the good kind of tired",
  finishing work, heel pads, muffled music, "nearly wet myself" at a receipt. With the
  rules before: emergency 10/12 escalated, urgent 3/6, controls quiet 6/9; after: all.
- ``phrasings_unseen_16.yml``: the same for the classes ``blind/2026-12-01n_written.yml``
  showed: water passed "without being aware of it" in formal words, pads that had to be
  bought or bought for the first time, a stream that seems weaker with emptying never
  finished, "almost nothing came out", a stream likened to a pinched hose or straw,
  water that barely comes beside a cancer; feeling reduced during intimacy or "down
  there", a patch of nothing on the inner thighs set against saddle soreness; legs
  dead and heavy with no run behind them, a live wire down both thighs; burning
  down the outer thigh as far as the knee, a live wire in the thigh or calf; moaning in
  sleep told by a partner; dropped from a lift, a wipeout on the slopes, a scooter that
  went down; the person's own cancer spreading or returning, asked with their diagnosis;
  and look-alikes: legs dead after a run and fine by a named day, an account or a
  website that fell over, pads for the heels or bought for a daughter, a husband moaning
  in his sleep, a general question about cancer, a stream outdoors, a son who is a live
  wire, a husband dropped off at the station. With the rules before: emergency 12/19
  escalated, urgent 6/14, controls quiet 8/10; after: all.
- ``phrasings_unseen_17.yml``: the same for the classes ``blind/2026-12-01o_written.yml``
  showed: voice dictation ("in continent", "a we", "num", "P"), read before matching;
  the wee not felt coming out; the paper felt on one side only, an intimate examination
  barely felt; the pain dated from a bare "I fell"; a long-term condition's usual
  symptom now different (a sneeze leak that now comes on its own, bowel urgency with
  no feeling now, drenching sweats unlike hot flushes, "I'm used to" aches but this is
  unbearable); Hindi and Spanish words for tingling both legs, a numb bottom, fever;
  woken by the pain even when the children sleep; and look-alikes: chills and weight as
  figures of speech, a baby or a puppy waking the person, numb toes in boots that come
  back once they are off, weight lost on a diet or a weight-loss drug, falling pregnant
  or behind, a misspelt "dunno". With the rules before: emergency 8/18 escalated,
  urgent 4/10, controls quiet 5/11; after: all.
- ``phrasings_unseen_18.yml``: the same for the classes ``blind/2026-12-01p_written.yml``
  showed: an older person's own words typed by a relative ("in his words: ..."), sitting
  down "a bit hard" at 79; a stream hard to get going told in the sentence after the
  water is named, "well since 5am I can't go"; legs weak "like after the gym" with no gym
  behind it; numbness likened to a limb sat on or gone to sleep; a numb seat told beside
  shoes being bought; pain that rouses the person; and look-alikes: numbness from hard
  benches or a freezer gone as soon as the person moved or warmed up, a catheter or a
  spinal years ago with all feeling back, tingling in both hands or arms, grazed knees,
  weight lost in an illness at college and regained, a sneeze leak said to be unchanged,
  "why do u always ask". With the rules before: emergency 9/12 escalated, urgent 0/5,
  controls quiet 8/12; after: all.
- ``phrasings_unseen_19.yml``: the same for the classes ``blind/2026-12-01q_written.yml``
  showed: "bowls" for bowels with a plain loss of control, legs that stopped holding the
  person up, a foot and toes that catch and scuff the ground, a seat felt through a
  cushion, "I've no had a wee since", a collision told as a joke, the pain that gets the
  person up every night, hanging out washing at a great age; and look-alikes: Scots and
  Irish no ("nae", "nane", "naw"), a leakage on coughing known and unchanged for years, a
  bladder numb "because of the spinal" long ago and sorted, tingling gone by a date of the
  year, weight lost in an illness and put back on, sweating in the heat, a newborn waking
  the person, another's cancer named with a word for a parent, sleeping "like a log".
  With the rules before: emergency 5/9 escalated, urgent 2/5, controls quiet 7/14;
  after: all.
- ``phrasings_unseen_20.yml``: the same for the classes ``blind/2026-12-01r_written.yml``
  showed: stool passing "without my control" told as "motion", not able to "ease myself"
  and urine that refuses to come, water that "mi cyaan hold" or "me" cannot hold, several
  stairs missed at once, "arse over elbow", off a roof or into a drain told in dialect,
  woken "by it" at an hour, a pain that does not let the person sleep or rest, pain
  continual with no relief from tablets, sweating in bed night after night, pain running
  "dung" a leg, a thigh that goes numb on standing; and look-alikes: a habit of tripping,
  a cramp in the foot waking the person, arthritis in both hips with an odd gait,
  Jamaican no ("nuh"), a leak that is "nowt new", a numb bladder after a spinal years ago
  and fine ever since, and "mi", "di", "dung", "ease myself", "motion", "relief" and
  "head over heels" in ordinary English. With the rules before: emergency 4/8
  escalated, urgent 2/13, controls quiet 12/14; after: all.
- ``phrasings_unseen_21.yml``: the same for the classes ``blind/2026-12-01s_written.yml``
  showed: drug use told as "using, injecting", a small "spill" or "bump" on a bike, a
  cyclist "doored", a motorbike taxi ("okada", "boda boda") crash, pain unchanged
  "whatever I do", the toilet seat not felt (and "dunny"), a numb seat "nuh going away",
  the need to go noticed only once it was happening, urine coming only in drops; and
  look-alikes: a week that is "a car crash", up at night to wee in pregnancy, weight
  lost with breastfeeding, a cancer nurse.
- ``phrasings_unseen_22.yml``: the same for the classes ``blind/2026-12-01t_written.yml``
  showed: the writer introduced by a role ("cyclist here") before both legs, both legs
  with a start of their own ("since Friday") beside a back sore "since the pregnancy",
  got up from sleep by the pain times a night or at an hour every night, a "zing" or
  "zap" down one leg, a fall told as a drop from a height (and in Jamaican English), a
  fever told as the body being hot (and in Nigerian English), the person's own cancer
  nurse or team; and look-alikes: someone else introduced by the writer, weight lost on
  purpose, sciatica gone at a birth, an accident in an illness that is "all over now", a
  slip caught before a fall, leg cramps waking the person at night in pregnancy, a body
  hot from the menopause, a cancer nurse at work, children dropped off at school. With
  the rules before: emergency 4/5 escalated, urgent 3/11, controls quiet 7/11; after:
  all.
- ``phrasings_unseen_23.yml``: the same for the classes ``blind/2026-12-01u_written.yml``
  and ``blind/2026-12-01v_written.yml`` showed: the bottom told in Jamaican English
  ("batty") with a word doubled, the genital area named by its adjective ("vulval
  area"), emptying not felt complete ("can't tell if I'm done or not anymore"), a stream
  that stops and starts, no need to go after drinking plenty, "can't properly wee", toes
  scuffed or a foot dragged told verb first, worry about one's own symptom, a
  clinician's question answered yes; and look-alikes: a baby or toddler waking the
  person, a general "should I worry about" a sign, a clinician's question answered no,
  a friend "of mine", back pain had years ago and cleared, "drives me batty", a vaginal
  birth. With the rules before: emergency 7/18 escalated, urgent 1/1, controls quiet
  5/10; after: all.
- ``phrasings_unseen_24.yml``: the classes behind needless direct questions on ordinary
  messages that the development sets showed, and two context slips beside them: feeling
  that "hasn't come back" after going numb (numb now, not over), pregnancy beside a loss
  of control or feeling; and look-alikes that were asked about: a case only supposed in
  the "if" of a question, a body area named only with its everyday cause (hard seats, a
  double shift), going often in pregnancy or with plenty to drink, a baby fed or
  stirring in the night, weight lost on purpose, an episode long ago said to be over,
  and "pissed off", a stool to sit on, "crocs". With the rules before: emergency 2/5
  escalated, controls quiet 15/16 (and 11 of them asked about); after: all, none asked
  about.
- ``phrasings_unseen_25.yml``: the same for the classes ``blind/2026-12-01w_written.yml``
  showed: loss of bowel control told with "motion(s)" for stool, urgency told as a story
  with the toilet never named ("had to dash out ... couldn't hold it", "didn't get there
  in time"), slang for the genitals ("my junk", "lady garden"), a buzz felt there or
  over the pubic bone, sex told as a couple's try or time together, the seat not quite felt ("as
  if I'm hovering above the chair"), pain no position eases, pain that keeps the person
  from sleep or bed, pain "in the night time" or "during rest", and a pulled muscle at 70
  or over; and look-alikes: a baby or twins waking the person by the hour, a range of
  motion, motion sickness, a door not held in a rush, a couple trying insoles or a
  mattress, junk in the loft, a pubic bone that aches in pregnancy, a pulled muscle at
  45, a phone buzzing in a pocket, a pubic bone sore in pregnancy beside a numb foot or
  a tingling leg (urgent, not saddle numbness). With the rules before: emergency 2/23
  escalated, urgent 5/10, controls and negated quiet 11/12; after: all.
- ``phrasings_unseen_26.yml``: the same for the classes ``blind/2026-12-01x_written.yml``
  showed: someone else's incontinence pads used by the person, emptying that never
  feels finished, the need to go no longer felt written with hyphens ("need-to-wee"), a
  wee barely felt, a temperature told beside the sweats; and look-alikes: symptoms
  denied as a list of what works ("no odd feelings"), a clinician's question answered
  no with "there's none" or in the next sentence, a document's terms asked about
  ("words like retention"), a scare told as past and over in the next sentence, a
  question about the future with the sign denied now, an age of 70 yet to come, a leak
  told with its effort ("a leak coughing") that is not new; and beside them, kept:
  "no real feeling" and a symptom whose next sentence says it is still there. With the
  rules before: emergency 8/15 escalated, urgent 1/3, controls quiet 3/14; after: all.
- ``phrasings_unseen_27.yml``: the class ``2026-12-01v_dialogues.yml`` showed in a first
  message: a back injured told as "did my back in" or "done me back in", whose "back in"
  was read as a time gone by ("back in 2015"), so a fall or crash in the same sentence,
  and even a numb bottom beside it, was set aside as past; and look-alikes: the idiom
  with an everyday strain (lifting, gardening, bending) and a real "back in <year>" for
  an old injury that healed. With the rules before: emergency 2/3, urgent 1/5, controls
  quiet 4/4; after: all.
- ``phrasings_unseen_28.yml``: the classes ``blind/2026-12-01y_written.yml`` showed:
  whether it is normal asked of the person's own sign beside how long their back pain
  has lasted, a wee not felt with nothing after it, the need to go told as "busting",
  an organ removed for a tumour with the time between, hormone treatment for the
  prostate or breast, a hospital stay for an infection named by the disease, a
  motorbike taxi that crashed, nights without proper sleep told with their number, weight "down nearly a stone"; and
  look-alikes for each, with a night kept up by an
  ill child, a foot or leg asleep from sitting cross-legged or kneeling, and legs like
  jelly after training them at the gym.
- ``phrasings_unseen_30.yml``: the everyday, slang, regional and second-language words
  for the areas and functions of the emergency flags (the need to go told as "a dump",
  "a slash", "spend a penny"; "piddled", "dirtied myself"; "knackers", "bahookie",
  "nyash", "manhood"; "wank", "boner", "morning wood"; "lower limbs", "from the belly
  button down"; clothes as "daks", "kecks", "drawers"; urine that "escapes" or "is not
  passing"; the Scots "haud"; a back passage "leaking"; feeling "less sensitive" or
  "prickling"; knees "giving in"; "relieve myself", "the bog", "the khazi",
  "defecate", "powder my nose"; the bottom "sleeping"; "my manhood is not rising",
  "my willy won't work"), and two classes of ``blind/2026-12-01y_written.yml``: the person's own
  diagnosis followed by a general question ("just wondering if insoles would help"),
  and a numbness after a birth long ago told as over ("but that went"); with
  look-alikes where the word has an innocent sense ("range of motion", "junk food", "a
  shit day", "ring finger", "a dump of snow", trousers wet by a spilt coffee or the
  rain, "loose motions", prickly heat, "I gave in and bought insoles"). With the rules
  before: emergency 15/62 escalated, urgent 1/3, controls quiet 42/46; after: all.
- ``phrasings_unseen_31.yml``: classes of ``blind/2026-12-01z_written.yml`` in new
  words: a strength test passed a while ago and failed now ("could stand on my
  tiptoes a fortnight ago, can't now"), a change in sexual feeling told as the bedroom
  or the sheets, a foot "like it's wrapped in cotton wool", waking night after night
  told by the count ("three nights in a
  row"), a usual slow stream that since the back flared up will not come at all,
  nights in a chair because lying down is not possible, a collision told by the other
  driver ("someone drove into the back of me"), a fall told as being pulled to the
  floor, fragile bones told as lost height or "bone tablets", weight lost told by the
  belt; with look-alikes (a test passed, heels as shoes, a bedroom as a room, nights
  broken by a baby or a dog, a night on the sofa for another reason, a shift "a car
  crash", a patient's symptom told by the nurse "looking after" them, a fear of ending
  up incontinent with "nothing like that" having happened, legs numb for a few hours
  after a spinal block "then totally normal", an injection for the sciatica years
  ago, an epidural followed by "That was five years ago.").
- ``phrasings_unseen_32.yml``: the classes ``blind/2026-12-01za_written.yml`` showed: wetting
  oneself noticed only afterwards ("didn't even realise I'd peed"), told as waking up wet
  or soaking the bed; slang numbness of the testicles said to be meant ("numb nuts.
  literally"); a spread to both legs told with how it "used to be just the left"; the
  pidgin "I no fit pee"; numbness after a simile denied with an elided verb ("except I
  haven't"); a leak in pregnancy told as unlike the usual one; fragile bones with
  housework; and look-alikes: wet with sweat (night sweats), a child's or partner's bed,
  "numb nuts" as an insult, a client's or a pet's symptom, legs tired after a race, what
  people mean by a sign, a self-asked question put down to something ordinary ("fever??
  nah it's just the heating"), a treatment only planned. With the rules before: emergency
  7/24 escalated, urgent 2/4, controls quiet 14/20; after: all.
- ``phrasings_unseen_33.yml``: the classes ``blind/2026-12-01zb_written.yml`` showed: an
  injury told as a part of the body "going" ("since my hip went two weeks ago") and a
  feeling that "went numb" days ago, both onsets rather than endings; the need to go felt
  only when it is "already too late"; pain travelling down both legs, feeling in the legs
  got back only by stooping after a walk, feet that go in odd directions, a wee that
  "takes me ages"; no sleep at all with a pain that nearly made the person faint;
  fragile bones with a pop felt while helping a stranger up; a test that found a
  cancer. Look-alikes: numbness that went away, a shop shut "too late", a sleepless
  night from heat or excitement, a pop told of one's "pops", a cancer test that came
  back clear. With the rules before: emergency 7/17 found, urgent 1/7, controls quiet
  14/17; after: all.
- ``phrasings_unseen_34.yml``: the classes ``blind/2026-12-01zc_written.yml`` showed:
  weakness of both legs told by the strength the legs no longer have ("no power left in
  my legs") or an everyday movement no longer possible with strength going ("can't get up
  off the floor any more, getting weaker"); the urge to pass water missing for hours.
  Look-alikes: a movement prevented by pain that gets worse, legs spent after a race, the
  urge felt as usual. Caribbean Patois and West African English ("mi", "pon", "de",
  "lan"; an accident "with okada"; "mi 81" with a bend) for a fall, pain down one leg and
  fragile bones, with a school drop-off and denials as look-alikes. Look-alikes explained
  in the message: numb toes until the laces are loosened, legs "to jelly" at something
  watched, sweat from a class or workout. With the rules
  before: emergency 3/9 found, controls quiet 5/5; after: all.
- ``phrasings_unseen_35.yml``: the classes ``blind/2026-12-01zd_written.yml`` showed: an
  accident told without a toilet word, the urge never felt ("never even felt I had to
  go"); contents passing unbidden and noticed only later, after a cause ruled out ("not
  the tablets - things leak out"); both legs as "two legs" with an ability lost "since 2
  days"; legs that "just went", falls told as "going over"; getting up only with the
  arms' help, a leg no longer lifted, with the legs "not strong enough" or a symptom
  "only pins and needles" days before; the saddle "fell asleep"; a crash with the back
  fine only at first; night pain "very strong" with sleep lost. Look-alikes: an ankle
  gone over, a splinter noticed later, "no warning" before a spasm, legs not strong
  enough for a marathon, strong coffee, a trip told unhurt, an age asked about in
  general, a gym buddy's weakness, a toe back to normal the next day, numbness after an
  anaesthetic years ago and normal since (but an emergency when it came back). A
  toilet visit told as a step in the day ("nipped for a wee before the drive") is no
  bladder sign; a visit with something wrong in it still is.
- ``phrasings_unseen_36.yml``: the classes ``blind/2026-12-01ze_written.yml`` showed: a
  symptom said to be meant ("no kidding", "no lie", "I kid you not") is not a joke, while
  a near accident from laughing or a fright stays a figure of speech. With the rules
  before: emergency 2/4 found, controls quiet 2/2; after: all.

Every held-out batch was folded in after its first measurement, so the thresholds
below hold on all of them; they no longer measure unseen wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, List, Sequence, Tuple

import pytest
import yaml
from spacy.matcher import Matcher

from rasa_project.clinical.contract import RED_FLAG_CATALOGUE, TriageLevel
from rasa_project.understanding.red_flags.detector import RedFlagDetector, RedFlagMention, get_detector
from rasa_project.understanding.red_flags.patterns import (
    DEFAULT_PATTERNS_PATH,
    ConceptTriggers,
    compile_phrase,
    english_lemma_table,
    english_word_log_probabilities,
    read_rules,
    required_token_words,
)

PHRASINGS_PATH = Path(__file__).with_name("phrasings.yml")
#: Later batches (held out, all but the fifth), each with its minimum number of
#: emergency and of control or negated phrasings.
UNSEEN_SIZES = {
    "phrasings_unseen.yml": (80, 40),
    "phrasings_unseen_2.yml": (40, 20),
    "phrasings_unseen_3.yml": (30, 15),
    # One emergency phrasing is someone else's symptom under the spec's context rules.
    "phrasings_unseen_4.yml": (19, 10),
    "phrasings_unseen_5.yml": (23, 17),
    "phrasings_unseen_6.yml": (20, 10),
    "phrasings_unseen_7.yml": (10, 6),
    "phrasings_unseen_8.yml": (19, 8),
    "phrasings_unseen_9.yml": (19, 14),
    "phrasings_unseen_10.yml": (20, 5),
    "phrasings_unseen_11.yml": (13, 7),
    "phrasings_unseen_12.yml": (18, 5),
    "phrasings_unseen_13.yml": (26, 8),
    "phrasings_unseen_14.yml": (17, 11),
    "phrasings_unseen_15.yml": (12, 9),
    "phrasings_unseen_16.yml": (19, 10),
    "phrasings_unseen_17.yml": (18, 11),
    "phrasings_unseen_18.yml": (12, 12),
    "phrasings_unseen_19.yml": (9, 14),
    "phrasings_unseen_20.yml": (8, 14),
    "phrasings_unseen_21.yml": (7, 4),
    "phrasings_unseen_22.yml": (5, 11),
    "phrasings_unseen_23.yml": (18, 10),
    "phrasings_unseen_24.yml": (5, 16),
    "phrasings_unseen_25.yml": (23, 11),
    "phrasings_unseen_26.yml": (15, 14),
    "phrasings_unseen_27.yml": (3, 4),
    "phrasings_unseen_28.yml": (8, 13),
    "phrasings_unseen_30.yml": (62, 46),
    "phrasings_unseen_31.yml": (11, 26),
    "phrasings_unseen_32.yml": (24, 20),
    "phrasings_unseen_33.yml": (17, 17),
    "phrasings_unseen_34.yml": (9, 13),
    "phrasings_unseen_35.yml": (10, 16),
    "phrasings_unseen_36.yml": (4, 2),
}
UNSEEN_PATHS = tuple(Path(__file__).with_name(name) for name in UNSEEN_SIZES)
FIXTURE_PATHS = (PHRASINGS_PATH, *UNSEEN_PATHS)
KINDS = ("emergency", "urgent", "routine", "negated", "control")

EMERGENCY_RECALL_MIN = 1.0
URGENT_RECALL_MIN = 0.95
QUIET_MIN = 0.90


@dataclass(frozen=True)
class Phrasing:
    kind: str
    text: str
    expect: FrozenSet[str]


def load_phrasings(path: Path = PHRASINGS_PATH) -> List[Phrasing]:
    """Read one fixture file, checking each entry's kind and flag ids."""
    with open(path, encoding="utf8") as handle:
        raw = yaml.safe_load(handle)
    phrasings = [Phrasing(item["kind"], item["text"], frozenset(item["expect"])) for item in raw]
    for phrasing in phrasings:
        assert phrasing.kind in KINDS, phrasing
        assert phrasing.expect <= set(RED_FLAG_CATALOGUE), phrasing
    return phrasings


def flags_of_level(flags: FrozenSet[str], level: TriageLevel) -> FrozenSet[str]:
    return frozenset(f for f in flags if RED_FLAG_CATALOGUE[f].level is level)


@dataclass(frozen=True)
class RecallReport:
    """Recall per level over (phrasing, expected flag) pairs, and quietness on controls."""

    recall: Dict[TriageLevel, Tuple[int, int]]
    quiet: Tuple[int, int]
    exact: Tuple[int, int]
    misses: Dict[TriageLevel, List[Tuple[str, str]]]
    noisy: List[Tuple[str, FrozenSet[str]]]

    def rate(self, level: TriageLevel) -> float:
        found, total = self.recall[level]
        return found / total if total else 1.0

    @property
    def quiet_rate(self) -> float:
        return self.quiet[0] / self.quiet[1]


def measure(detector: RedFlagDetector, phrasings: Sequence[Phrasing]) -> RecallReport:
    """Run the detector over the fixture and count hits per level."""
    levels = (TriageLevel.EMERGENCY, TriageLevel.URGENT, TriageLevel.ROUTINE)
    found = dict.fromkeys(levels, 0)
    total = dict.fromkeys(levels, 0)
    misses: Dict[TriageLevel, List[Tuple[str, str]]] = {level: [] for level in levels}
    noisy: List[Tuple[str, FrozenSet[str]]] = []
    quiet = quiet_total = exact = 0
    for phrasing in phrasings:
        detected = frozenset(m.flag_id for m in detector.detect(phrasing.text))
        exact += detected == phrasing.expect
        for level in levels:
            expected = flags_of_level(phrasing.expect, level)
            total[level] += len(expected)
            found[level] += len(expected & detected)
            misses[level].extend((flag, phrasing.text[:80]) for flag in sorted(expected - detected))
        if phrasing.kind in ("negated", "control"):
            quiet_total += 1
            if detected:
                noisy.append((phrasing.text, detected))
            else:
                quiet += 1
    return RecallReport(
        recall={level: (found[level], total[level]) for level in levels},
        quiet=(quiet, quiet_total),
        exact=(exact, len(phrasings)),
        misses=misses,
        noisy=noisy,
    )


@pytest.fixture(scope="module")
def detector() -> RedFlagDetector:
    return get_detector()


@pytest.fixture(scope="module")
def phrasings() -> List[Phrasing]:
    return load_phrasings()


def report_lines(name: str, result: RecallReport) -> List[str]:
    """Return the printed figures of one measured fixture."""
    lines = []
    for level in (TriageLevel.EMERGENCY, TriageLevel.URGENT, TriageLevel.ROUTINE):
        found, total = result.recall[level]
        if total:
            lines.append(f"red flags [{name}]: {level.value} recall {found}/{total} = {result.rate(level):.1%}")
    lines.append(
        f"red flags [{name}]: controls and negated not escalated "
        f"{result.quiet[0]}/{result.quiet[1]} = {result.quiet_rate:.1%}"
    )
    lines.append(f"red flags [{name}]: exact flag set {result.exact[0]}/{result.exact[1]} phrasings")
    return lines


@pytest.fixture(scope="module")
def reports(detector: RedFlagDetector, report_figure) -> Dict[str, RecallReport]:
    """Measure every fixture file, and all of them together (``"all"``)."""
    by_file = {path.stem: load_phrasings(path) for path in FIXTURE_PATHS}
    by_file["all"] = [phrasing for phrasings in list(by_file.values()) for phrasing in phrasings]
    results = {name: measure(detector, phrasings) for name, phrasings in by_file.items()}
    for name, result in results.items():
        for line in report_lines(name, result):
            report_figure(line)
    return results


REPORT_NAMES = [*(path.stem for path in FIXTURE_PATHS), "all"]


# --- the fixture itself ----------------------------------------------------------------


def test_fixture_covers_every_flag_and_kind(phrasings: List[Phrasing]) -> None:
    assert len(phrasings) >= 230
    expected_flags = {flag for p in phrasings for flag in p.expect}
    assert expected_flags == set(RED_FLAG_CATALOGUE)
    assert {p.kind for p in phrasings} == set(KINDS)
    for flag_id, flag in RED_FLAG_CATALOGUE.items():
        cases = sum(flag_id in p.expect for p in phrasings)
        assert cases >= (15 if flag.level is TriageLevel.EMERGENCY else 8), flag_id
    assert any(len(p.text.split()) >= 200 and p.kind == "emergency" for p in phrasings)


@pytest.mark.parametrize("path", UNSEEN_PATHS, ids=lambda path: path.stem)
def test_held_out_batches_are_sizeable_and_new(path: Path, phrasings: List[Phrasing]) -> None:
    unseen = load_phrasings(path)
    emergency = [p for p in unseen if p.kind == "emergency"]
    quiet = [p for p in unseen if p.kind in ("negated", "control")]
    min_emergency, min_quiet = UNSEEN_SIZES[path.name]
    assert len(emergency) >= min_emergency and len(quiet) >= min_quiet
    emergency_ids = {
        flag for p in emergency for flag in p.expect if RED_FLAG_CATALOGUE[flag].level is TriageLevel.EMERGENCY
    }
    assert emergency_ids == {f for f, flag in RED_FLAG_CATALOGUE.items() if flag.level is TriageLevel.EMERGENCY}
    # A held-out phrasing that repeats a tuned one measures nothing new.
    tuned = {p.text.lower() for p in phrasings}
    assert not [p.text for p in unseen if p.text.lower() in tuned]


#: The urgent flags of the spec when the first held-out batch was written; the later
#: ones (cancer history, infection and fracture risk) are covered by phrasings.yml.
FIRST_URGENT_FLAGS = {"radiating_leg_symptoms", "severe_night_pain", "systemic_symptoms", "significant_trauma"}


def test_first_held_out_batch_covers_urgent_flags() -> None:
    unseen = load_phrasings(UNSEEN_PATHS[0])
    assert sum(p.kind == "urgent" for p in unseen) >= 40
    urgent_ids = {flag for p in unseen for flag in p.expect if RED_FLAG_CATALOGUE[flag].level is TriageLevel.URGENT}
    assert urgent_ids == FIRST_URGENT_FLAGS


# --- thresholds -------------------------------------------------------------------------


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_emergency_recall_is_total(reports: Dict[str, RecallReport], name: str) -> None:
    report = reports[name]
    assert report.rate(TriageLevel.EMERGENCY) >= EMERGENCY_RECALL_MIN, report.misses[TriageLevel.EMERGENCY]


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_urgent_recall(reports: Dict[str, RecallReport], name: str) -> None:
    report = reports[name]
    assert report.rate(TriageLevel.URGENT) >= URGENT_RECALL_MIN, report.misses[TriageLevel.URGENT]


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_routine_flag_recall(reports: Dict[str, RecallReport], name: str) -> None:
    report = reports[name]
    assert report.rate(TriageLevel.ROUTINE) >= URGENT_RECALL_MIN, report.misses[TriageLevel.ROUTINE]


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_controls_and_negated_mentions_stay_quiet(reports: Dict[str, RecallReport], name: str) -> None:
    report = reports[name]
    assert report.quiet_rate >= QUIET_MIN, report.noisy


# --- tricky rules, one by one -------------------------------------------------------------


def flag_ids(mentions: Sequence[RedFlagMention]) -> List[str]:
    return sorted({m.flag_id for m in mentions})


@pytest.mark.parametrize(
    "text, flag_id",
    [
        ("I can't control my bladder", "bladder_bowel_dysfunction"),
        ("I don't feel anything when I wipe", "saddle_anaesthesia"),
        ("can't feel toilet paper when I wipe", "saddle_anaesthesia"),
        ("haven't been able to pee since yesterday", "bladder_bowel_dysfunction"),
        ("I cannot hold my wee", "bladder_bowel_dysfunction"),
        ("no feeling at all around my back passage", "saddle_anaesthesia"),
        ("I didn't make it to the toilet in time", "bladder_bowel_dysfunction"),
        ("the insoles haven't helped", "no_improvement_with_insoles"),
        ("I can't walk far without my legs giving way", "bilateral_or_progressive_leg_symptoms"),
    ],
)
def test_negation_inside_the_symptom_is_positive(detector: RedFlagDetector, text: str, flag_id: str) -> None:
    assert flag_ids(detector.detect(text)) == [flag_id]


@pytest.mark.parametrize(
    "text",
    [
        "no problems with my bladder",
        "I haven't lost control of my bowels",
        "no fever",
        "no numbness in my legs",
        "I do not have any numbness between my legs",
        "I have never wet myself",
        "there is no tingling in either foot",
        "the insoles haven't made it worse",
    ],
)
def test_negated_mentions_do_not_count(detector: RedFlagDetector, text: str) -> None:
    assert detector.detect(text) == []


@pytest.mark.parametrize(
    "text, flag_id",
    [
        ("not sure if I wet myself", "bladder_bowel_dysfunction"),
        ("I think I might have wet myself", "bladder_bowel_dysfunction"),
        ("not certain but maybe numb down there", "saddle_anaesthesia"),
        ("I don't know if my legs are giving way or I'm just tired", "bilateral_or_progressive_leg_symptoms"),
        ("could be pins and needles in both feet?", "bilateral_or_progressive_leg_symptoms"),
    ],
)
def test_pseudo_negation_and_hedges_count_as_uncertain(detector: RedFlagDetector, text: str, flag_id: str) -> None:
    mentions = detector.detect(text)
    assert [(m.flag_id, m.certainty) for m in mentions] == [(flag_id, "uncertain")]


def test_plain_statement_is_affirmed(detector: RedFlagDetector) -> None:
    mentions = detector.detect("I wet myself this morning")
    assert [(m.flag_id, m.certainty, m.level) for m in mentions] == [
        ("bladder_bowel_dysfunction", "affirmed", "emergency")
    ]


def test_negation_stops_at_the_clause_boundary(detector: RedFlagDetector) -> None:
    assert flag_ids(detector.detect("No fever, I've wet myself")) == ["bladder_bowel_dysfunction"]
    assert flag_ids(detector.detect("no bladder problems but I can't feel when I wipe")) == ["saddle_anaesthesia"]
    assert flag_ids(detector.detect("No, I wet myself last night")) == ["bladder_bowel_dysfunction"]


def test_every_flag_in_one_message_is_reported(detector: RedFlagDetector) -> None:
    text = (
        "Since I fell off a ladder I've had a fever, I wet myself, I'm numb down there, "
        "both my legs are tingling, the pain wakes me up every night and the insoles didn't help. "
        "I had breast cancer in 2015, I'm on steroids for my asthma, and I have osteoporosis and it "
        "started after I sat down hard."
    )
    assert flag_ids(detector.detect(text)) == sorted(set(RED_FLAG_CATALOGUE) - {"radiating_leg_symptoms"})


def test_one_sided_leg_symptom_is_reported_once_when_it_spreads(detector: RedFlagDetector) -> None:
    text = "the tingling started down my left leg and has spread to both"
    assert flag_ids(detector.detect(text)) == ["bilateral_or_progressive_leg_symptoms"]


def test_mentions_carry_offsets_levels_and_order(detector: RedFlagDetector) -> None:
    text = "My legs keep giving way. Also I've had night sweats and I can't control my bladder."
    mentions = detector.detect(text)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
        assert mention.level == RED_FLAG_CATALOGUE[mention.flag_id].level.value
        assert mention.certainty in ("affirmed", "uncertain")
    assert flag_ids(mentions) == [
        "bilateral_or_progressive_leg_symptoms",
        "bladder_bowel_dysfunction",
        "systemic_symptoms",
    ]


@pytest.mark.parametrize("typo", ["i cant control my bladdr", "lost controll of my bowles", "numbess in both legs"])
def test_misspelt_key_words_are_corrected(detector: RedFlagDetector, typo: str) -> None:
    assert detector.detect(typo) != []


@pytest.mark.parametrize("text", ["I love bowls", "the bottle was leaking", "Bowles is my surname"])
def test_real_words_are_not_corrected_into_symptoms(detector: RedFlagDetector, text: str) -> None:
    assert detector.detect(text) == []


def test_emergency_deep_inside_a_very_long_message(detector: RedFlagDetector) -> None:
    filler = "My back is stiff after work and I stretch every evening. " * 400
    text = filler + "Today I lost control of my bowels. " + filler
    assert len(text) > 40_000
    mentions = detector.detect(text)
    assert flag_ids(mentions) == ["bladder_bowel_dysfunction"]
    assert text[mentions[0].start : mentions[0].end] == mentions[0].text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x" * 10_000,
        "😀🙏🏽" * 2_000,
        "Ich kann meine Blase nicht kontrollieren",
        "膀胱をコントロールできません",
        "<div><script>alert('x')</script></div>",
        "\x00\x01\x1b[31m\u202e\ufeff",
        '/inform{"red_flag": "saddle_anaesthesia"}',
        "a" * 1_200_000,
    ],
)
def test_never_crashes(detector: RedFlagDetector, text: str) -> None:
    assert isinstance(detector.detect(text), list)


def test_non_string_input_gives_nothing(detector: RedFlagDetector) -> None:
    assert detector.detect(None) == []  # type: ignore[arg-type]


def test_markup_does_not_hide_a_flag(detector: RedFlagDetector) -> None:
    text = "<p>I wet myself</p>"
    mentions = detector.detect(text)
    assert flag_ids(mentions) == ["bladder_bowel_dysfunction"]
    assert mentions[0].text == "wet myself"


def test_detector_is_built_once_per_process() -> None:
    assert get_detector() is get_detector()


@pytest.mark.parametrize(
    "text, flag_id",
    [
        ("i cnat feel when i need the loo", "bladder_bowel_dysfunction"),
        ("I cannae feel my legs", "bilateral_or_progressive_leg_symptoms"),
        ("my bladder doesnt empty properly", "bladder_bowel_dysfunction"),
    ],
)
def test_misspelt_contractions_keep_their_negation(detector: RedFlagDetector, text: str, flag_id: str) -> None:
    assert flag_ids(detector.detect(text)) == [flag_id]


@pytest.mark.parametrize(
    "word, reading",
    [
        # Dialect words and dropped g's are read as the standard words.
        ("masel", "myself"),
        ("tae", "to"),
        ("gettin", "getting"),
        ("comin", "coming"),
        # Real words ending in "-in" stay as they are.
        ("cabin", None),
        ("basin", None),
        ("within", None),
    ],
)
def test_typo_normaliser_reads_dialect_and_dropped_g(detector: RedFlagDetector, word: str, reading: str) -> None:
    normaliser = detector.nlp.get_pipe("typo_normalizer")
    assert normaliser.correction(word) == reading


@pytest.mark.parametrize(
    ("text", "flag_id", "mention"),
    [
        # Two words read as one keep their place in the text.
        ("in continent since the weekend", "bladder_bowel_dysfunction", "in continent"),
        ("I can't hold a we in", "bladder_bowel_dysfunction", None),
        ("my calf is num", "radiating_leg_symptoms", None),
        ("dono legs mein jhunjhuni", "bilateral_or_progressive_leg_symptoms", None),
    ],
)
def test_spoken_forms_are_read_before_matching(
    detector: RedFlagDetector, text: str, flag_id: str, mention: str | None
) -> None:
    mentions = [m for m in detector.detect(text) if m.flag_id == flag_id]
    assert mentions
    if mention is not None:
        assert mentions[0].text == mention


@pytest.mark.parametrize(
    "text",
    [
        # The words of a spoken form, apart or in an ordinary sentence, stay as they are.
        "we went in to see the continent last year",
        "I dono if insoles help",
        "in continental Europe the shoes are different",
    ],
)
def test_spoken_forms_leave_ordinary_words_alone(detector: RedFlagDetector, text: str) -> None:
    assert detector.detect(text) == []


def test_negation_of_a_loss_of_control_does_not_negate_the_next_clause(detector: RedFlagDetector) -> None:
    assert flag_ids(detector.detect("I couldn't hold it in and messed myself")) == ["bladder_bowel_dysfunction"]


def test_number_two_is_a_toilet_word_not_numbness(detector: RedFlagDetector) -> None:
    assert detector.detect("what is number two on your list?") == []
    assert flag_ids(detector.detect("I haven't done a number two in 4 days")) == ["bladder_bowel_dysfunction"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I had a little accident with the car door", []),
        ("I'm losing weight on purpose, I'm on a diet", []),
        ("I did the wet foot test and my footprint is flat", []),
        ("the balls of both feet are numb", ["bilateral_or_progressive_leg_symptoms"]),
        ("my tackle feels numb", ["saddle_anaesthesia"]),
    ],
)
def test_look_alikes_are_read_as_what_they_are(detector: RedFlagDetector, text: str, expected: List[str]) -> None:
    assert flag_ids(detector.detect(text)) == expected


@pytest.mark.parametrize("phrase", ["fell <num>|several times", "legs _|weak"])
def test_rule_syntax_rejects_special_tokens_as_alternatives(phrase: str) -> None:
    with pytest.raises(ValueError):
        compile_phrase(phrase, english_lemma_table())


def test_a_filler_with_exceptions_matches_any_other_word(detector: RedFlagDetector) -> None:
    matcher = Matcher(detector.nlp.vocab)
    matcher.add("P", [compile_phrase("no _!funny|odd feeling", english_lemma_table())])
    texts = ("no real feeling", "no feeling", "no funny feeling", "no odd feeling")
    assert [bool(matcher(detector.nlp(text))) for text in texts] == [True, True, False, False]
    assert required_token_words("no _!funny|odd feeling", english_lemma_table()) == (
        frozenset({"no"}),
        frozenset({"feeling", "feel"}),
    )


def test_sentence_filter_keys_phrases_on_their_rarest_word() -> None:
    triggers = ConceptTriggers(read_rules(), english_lemma_table(), english_word_log_probabilities())
    assert "TRAUMA" not in triggers.concepts_in({"my", "back", "ache", "after", "work"})
    assert "TRAUMA" in triggers.concepts_in({"i", "injured", "it", "at", "work"})


@pytest.mark.parametrize(
    "section, rules",
    [
        ("sentence_flags", {"bilateral_or_progressive_leg_symptoms": [["SCIATICA"]]}),
        ("condition_flags", {"fracture_risk": [["FRAGILE_BONES"]]}),
        ("condition_flags", {"fracture_risk": [["FRAGILE_BONES", "NO_SUCH_CONCEPT"]]}),
        ("condition_flags", {"no_such_flag": [["FRAGILE_BONES", "MINOR_STRAIN"]]}),
    ],
)
def test_rule_file_rejects_a_wide_rule_that_is_no_pair_of_known_concepts(
    tmp_path: Path, section: str, rules: Dict[str, List[List[str]]]
) -> None:
    raw = yaml.safe_load(DEFAULT_PATTERNS_PATH.read_text(encoding="utf8"))
    raw[section] = rules
    path = tmp_path / "patterns.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf8")
    with pytest.raises(ValueError):
        read_rules(path)
