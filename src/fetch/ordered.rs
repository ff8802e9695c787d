//! Many posts fetched at once, handed on in input order.
//!
//! Events go in as they are read. A post to fetch ([`Event::Fetch`]) goes to a small pool of
//! threads, at most `workers` requests at a time, started only when the first post arrives;
//! every other event waits behind the posts read before it. Events come out in the order they
//! went in, as soon as everything before them is done. The window of events held is bounded,
//! so memory stays flat however long the list of URLs.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use super::Client;
use crate::caption::Caption;
use crate::input::{Event, InputError};

/// Events held at most before the oldest must be waited for.
const WINDOW: usize = 256;

type Job = (usize, Caption);

/// An event, or the post being fetched in its place.
enum Slot {
    Ready(Box<Event>),
    /// Being fetched; the source, to name it should its thread die.
    Fetching(String),
}

pub struct Ordered {
    client: Arc<Client>,
    workers: usize,
    started: usize,
    jobs: Option<Sender<Job>>,
    queue: Arc<Mutex<Receiver<Job>>>,
    done: Sender<(usize, Event)>,
    results: Receiver<(usize, Event)>,
    slots: VecDeque<Slot>,
    /// The sequence number of `slots[0]`.
    first: usize,
}

impl Ordered {
    /// Fetch with at most `workers` requests at a time (at least one).
    pub fn new(client: Client, workers: usize) -> Ordered {
        let (jobs, queue) = channel();
        let (done, results) = channel();
        Ordered {
            client: Arc::new(client),
            workers: workers.max(1),
            started: 0,
            jobs: Some(jobs),
            queue: Arc::new(Mutex::new(queue)),
            done,
            results,
            slots: VecDeque::new(),
            first: 0,
        }
    }

    /// Take the next event in input order.
    pub fn push(&mut self, event: Event) {
        let seq = self.first + self.slots.len();
        match event {
            Event::Fetch(caption) => {
                let source = caption.origin.source.clone();
                self.start_worker();
                let sent = self
                    .jobs
                    .as_ref()
                    .is_some_and(|jobs| jobs.send((seq, caption)).is_ok());
                self.slots.push_back(if sent {
                    Slot::Fetching(source)
                } else {
                    Slot::Ready(Box::new(stopped(source)))
                });
            }
            other => self.slots.push_back(Slot::Ready(Box::new(other))),
        }
    }

    /// A thread for each post until there are `workers`.
    fn start_worker(&mut self) {
        if self.started >= self.workers {
            return;
        }
        let (done, queue, client) = (
            self.done.clone(),
            Arc::clone(&self.queue),
            Arc::clone(&self.client),
        );
        let spawned = std::thread::Builder::new()
            .name("adlint-fetch".into())
            .spawn(move || work(&client, &queue, &done));
        if spawned.is_ok() {
            self.started += 1;
        }
    }

    /// Whether the window is full: the caller should wait for the oldest event.
    pub fn is_full(&self) -> bool {
        self.slots.len() >= WINDOW
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The oldest event when it is ready; with `wait`, wait for it. `None` when nothing is
    /// held (or, without `wait`, the oldest post is still being fetched).
    pub fn next(&mut self, wait: bool) -> Option<Event> {
        while let Ok((seq, event)) = self.results.try_recv() {
            self.fill(seq, event);
        }
        loop {
            match self.slots.front()? {
                Slot::Ready(_) => break,
                Slot::Fetching(_) if !wait => return None,
                // No thread could be started: nothing will fetch it.
                Slot::Fetching(source) if self.started == 0 => {
                    let event = stopped(source.clone());
                    self.fill(self.first, event);
                }
                // Workers never die: a panic while fetching becomes an error for that post.
                Slot::Fetching(_) => match self.results.recv() {
                    Ok((seq, event)) => self.fill(seq, event),
                    Err(_) => return None,
                },
            }
        }
        self.first += 1;
        match self.slots.pop_front()? {
            Slot::Ready(event) => Some(*event),
            Slot::Fetching(_) => None,
        }
    }

    fn fill(&mut self, seq: usize, event: Event) {
        if let Some(slot) = seq
            .checked_sub(self.first)
            .and_then(|i| self.slots.get_mut(i))
        {
            *slot = Slot::Ready(Box::new(event));
        }
    }
}

impl Drop for Ordered {
    fn drop(&mut self) {
        // Workers finish the request they are on and stop.
        self.jobs = None;
    }
}

fn work(client: &Client, queue: &Mutex<Receiver<Job>>, done: &Sender<(usize, Event)>) {
    loop {
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok((seq, caption)) = job else {
            return;
        };
        let source = caption.origin.source.clone();
        let event = catch_unwind(AssertUnwindSafe(|| client.resolve(caption)))
            .unwrap_or_else(|_| stopped(source));
        if done.send((seq, event)).is_err() {
            return;
        }
    }
}

/// The error for a post whose fetch ended abnormally.
fn stopped(source: String) -> Event {
    Event::Error(InputError::whole(
        source,
        "internal error: fetching stopped unexpectedly",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caption::Fetched;
    use crate::fetch::Settings;

    #[test]
    fn events_keep_their_order_around_fetches() {
        let settings = Settings {
            offline: true,
            ..Settings::default()
        };
        let mut ordered = Ordered::new(Client::new(settings, None).unwrap(), 3);
        let mut out = Vec::new();
        for i in 0..20 {
            let event = if i % 3 == 0 {
                Event::Error(InputError::whole(format!("file{i}"), "x"))
            } else {
                let mut c = Caption::new("");
                c.origin.source = format!("https://a.example/{i}");
                c.fetched = Some(Fetched::pending(c.origin.source.clone()));
                Event::Fetch(c)
            };
            ordered.push(event);
            out.extend(ordered.next(false));
        }
        while let Some(e) = ordered.next(true) {
            out.push(e);
        }
        let sources: Vec<String> = out
            .iter()
            .map(|e| match e {
                Event::Error(e) => e.source.clone(),
                other => format!("{other:?}"),
            })
            .collect();
        let want: Vec<String> = (0..20)
            .map(|i| {
                if i % 3 == 0 {
                    format!("file{i}")
                } else {
                    format!("https://a.example/{i}")
                }
            })
            .collect();
        assert_eq!(sources, want);
        assert!(ordered.is_empty());
    }
}
